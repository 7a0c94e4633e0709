// CSystemd: the libsystemd headers the daemon uses (sd-daemon, sd-journal, sd-event, sd-bus).
// Swift never calls a variadic from here: SystemdKit uses sd_notify, sd_journal_sendv,
// and the one-value sd_bus_message_append_basic/read_basic functions.
#ifndef CSYSTEMD_SHIM_H
#define CSYSTEMD_SHIM_H
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <systemd/sd-event.h>
#include <systemd/sd-bus.h>
#include <sys/uio.h>
#endif
