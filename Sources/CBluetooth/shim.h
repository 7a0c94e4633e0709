// CBluetooth: libbluetooth (BlueZ) headers for the direct LE ATT backend:
// bdaddr_t, struct sockaddr_l2, BTPROTO_L2CAP and the HCI helpers.
#ifndef CBLUETOOTH_SHIM_H
#define CBLUETOOTH_SHIM_H
#include <sys/socket.h>
#include <bluetooth/bluetooth.h>
#include <bluetooth/l2cap.h>
#include <bluetooth/hci.h>
#include <bluetooth/hci_lib.h>
#endif
