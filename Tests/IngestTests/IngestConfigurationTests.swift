import Ingest
import Physiology
import Testing
import TestSupport

/// The config file: TOMLKit parses it; every error names the file, the line and the key.
@Suite struct IngestConfigurationTests {
    @Test func parsesTheShippedDefaultConfig() throws {
        let bytes = try FileBytes.read(TestPaths.packageRoot + "/Config/ingestd.toml")
        let config = try IngestConfiguration.parse(String(decoding: bytes, as: UTF8.self), path: "ingestd.toml")
        #expect(config.stateDirectory == "/var/lib/ingestd")
        #expect(config.engine == EngineConstants())
        #expect(config.metrics == MetricsSettings())
        #expect(!config.metrics.enabled)
    }

    @Test func readsTheDirectBackend() throws {
        let config = try IngestConfiguration.parse("""
            [bluetooth]
            backend = "direct"
            straps = ["a0:9e:1a:00:00:01", "C4:7D:00:00:00:02/random"]
            """, path: "c.toml")
        #expect(config.bluetooth.backend == .direct)
        #expect(config.bluetooth.directStraps.map(\.address) == ["A0:9E:1A:00:00:01", "C4:7D:00:00:00:02"])
        #expect(config.bluetooth.directStraps.map(\.random) == [false, true])
        #expect(!config.bluetooth.polarECG, "ECG is off unless asked for")
        #expect(try IngestConfiguration.parse("[bluetooth]\npolar_ecg = true\n", path: "c.toml").bluetooth.polarECG)
    }

    @Test func readsTheMetricsSection() throws {
        let config = try IngestConfiguration.parse("""
            [metrics]
            textfile_directory = "/var/lib/prometheus/node-exporter"
            interval_seconds = 30
            """, path: "c.toml")
        #expect(config.metrics.enabled)
        #expect(config.metrics.textfileDirectory == "/var/lib/prometheus/node-exporter")
        #expect(config.metrics.interval == 30)
    }

    @Test func readsValues() throws {
        let config = try IngestConfiguration.parse("""
            [athlete]
            age = 42  # years
            sex = "female"
            [session]
            end_rest_seconds = 900
            """, path: "c.toml")
        #expect(config.athlete.age == 42)
        #expect(config.athlete.sex == .female)
        #expect(config.engine.endRestSeconds == 900)
    }

    @Test func readsTheStrapAllowList() throws {
        let config = try IngestConfiguration.parse("""
            [bluetooth]
            adapter = "hci1"
            straps = ["a0:9e:1a:00:00:02", "Polar H10 8C4F2D21"]
            notification_timeout_seconds = 5
            """, path: "c.toml")
        #expect(config.bluetooth.adapter == "hci1")
        let straps = config.bluetooth.straps
        #expect(straps.admits(address: "A0:9E:1A:00:00:02", name: nil))
        #expect(straps.admits(address: "00:11:22:33:44:55", name: "Polar H10 8C4F2D21"))
        #expect(!straps.admits(address: "00:11:22:33:44:55", name: "Wahoo TICKR"))
        #expect(config.bluetooth.notificationTimeout == 5)
        #expect(try IngestConfiguration.parse("[bluetooth]\nstraps = \"any\"\n", path: "c").bluetooth.straps == .any)
    }

    @Test("errors name the file, line and key", arguments: [
        ("[athlete]\nage = 42\nheight = 180\n", "c.toml:3: athlete.height: unknown key"),
        ("[athlete]\nage = 400\n", "c.toml:2: athlete.age: 400.0 is outside"),
        ("[athlete]\nsex = \"other\"\n", "c.toml:2: athlete.sex: expected \"female\" or \"male\""),
        ("[daemon]\nstate_directory = \"relative\"\n", "c.toml:2: daemon.state_directory: expected an absolute path"),
        ("[daemon]\nstate_directory = relative\n", "c.toml:2: "),
        ("just words\n", "c.toml:1: Error while parsing key-value pair"),
        ("[session]\nend_gap_seconds = 60\nend_gap_seconds = 90\n", "c.toml:3: "),
        ("[bluetooth]\nadapter = \"usb0\"\n", "c.toml:2: bluetooth.adapter: expected an adapter name"),
        ("[bluetooth]\nstraps = []\n", "c.toml:2: bluetooth.straps: expected \"any\" or a non-empty list"),
        ("[bluetooth]\nstraps = [1, 2]\n", "c.toml:2: bluetooth.straps: expected"),
        ("# c\n[bluetooth]\n\nnotification_timeout_seconds = true\n", "c.toml:4: bluetooth.notification_timeout_seconds: expected a number"),
        ("[bluetooth]\nbackend = \"hci\"\n", "c.toml:2: bluetooth.backend: expected \"bluez\" or \"direct\""),
        ("[bluetooth]\nbackend = \"direct\"\n", "c.toml:2: bluetooth.straps: the direct backend cannot scan"),
        ("[bluetooth]\nbackend = \"direct\"\nstraps = [\"Polar H10\"]\n", "c.toml:2: bluetooth.straps: the direct backend needs addresses"),
        ("[metrics]\ntextfile_directory = \"metrics\"\n", "c.toml:2: metrics.textfile_directory: expected an absolute directory path"),
        ("[bluetooth]\npolar_ecg = 1\n", "c.toml:2: bluetooth.polar_ecg: expected true or false"),
        ("[metrics]\ninterval_seconds = 0\n", "c.toml:2: metrics.interval_seconds: 0.0 is outside"),
        ("[athlete]\nage = 30\n[athlete.extra]\nx = 1\n", "c.toml:3: athlete.extra: unknown key"),
    ])
    func errors(text: String, message: String) {
        do {
            _ = try IngestConfiguration.parse(text, path: "c.toml")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error)")
        }
    }

    /// Errors name the right line whatever the line endings and table syntax; a NUL inside a
    /// string is refused instead of cutting the value where a C call would.
    @Test("errors name their line in CRLF files, [[tables]] and inline tables; NUL in a string is an error", arguments: [
        ("[athlete]\r\n# comment\r\nage = 900\r\n", 3, "athlete.age"),
        ("# a\n[[athlete]]\nage = 40\n", 2, "athlete[0].id"),
        ("\n\nathlete = { age = 900 }\n", 3, "athlete.age"),
        ("[bluetooth]\nadapter = \"hci0\\u0000evil\"\n", 2, "bluetooth.adapter"),
        ("[bluetooth]\nstraps = [\"A0:9E:1A:00:00:01\\u0000\"]\n", 2, "bluetooth.straps"),
    ])
    func errorsNameTheirLine(text: String, line: Int, key: String) {
        do {
            _ = try IngestConfiguration.parse(text, path: "c.toml")
            Issue.record("accepted: \(text.debugDescription)")
        } catch {
            #expect(error.line == line, "\(text.debugDescription): \(error)")
            #expect(error.key == key, "\(text.debugDescription): \(error)")
        }
    }
}
