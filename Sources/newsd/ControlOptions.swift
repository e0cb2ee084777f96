import ArgumentParser
import ControlServer
import Foundation
import SyncCore

/// `newsd run`'s options for the control socket and the change log's history.
struct ControlOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The control socket (default: $RUNTIME_DIRECTORY/newsd.sock under systemd, else <state>/newsd.sock). "
                + "Ignored when systemd passes a socket ($LISTEN_FDS).",
            valueName: "path"))
    var socket: String?

    @Option(
        help: ArgumentHelp(
            "Group (name or id) given the socket file; its members may use newsctl.", valueName: "group"))
    var socketGroup: String?

    @Option(help: ArgumentHelp("Permissions of the socket file, in octal.", valueName: "mode"))
    var socketMode: String = "0660"

    @Option(help: ArgumentHelp("Control clients served at once; more are refused.", valueName: "n"))
    var maxClients: Int = ControlSettings.defaultMaxClients

    @Option(
        help: ArgumentHelp(
            "Close a control connection idle this long (e.g. 600, 10m).", valueName: "duration"))
    var idleTimeout: String = "10m"

    @Option(
        help: ArgumentHelp(
            "How long the change log keeps entries (e.g. 7d, 12h); older cursors get a fresh listing.",
            valueName: "duration"))
    var retention: String = "7d"

    func validate() throws {
        if let socketGroup, ControlSettings.group(named: socketGroup) == nil {
            throw ValidationError("--socket-group: no group named '\(socketGroup)'")
        }
        guard let mode = mode_t(socketMode, radix: 8), mode <= 0o777 else {
            throw ValidationError(
                "--socket-mode must be octal permissions such as 0660 (got '\(socketMode)')")
        }
        _ = mode
        guard maxClients >= 1 else { throw ValidationError("--max-clients must be at least 1") }
        guard let idle = ControlSettings.parseDuration(idleTimeout), idle > .zero else {
            throw ValidationError("--idle-timeout must be a positive duration such as 600, 10m or 1h")
        }
        guard let kept = ControlSettings.parseDuration(retention), kept > .zero else {
            throw ValidationError("--retention must be a positive duration such as 7d, 12h or 3600")
        }
    }

    /// The resolved settings for a daemon keeping its catalogue in `stateDirectory`.
    func settings(stateDirectory: String) -> ControlSettings {
        ControlSettings(
            socketPath: socket ?? ControlSettings.defaultSocketPath(stateDirectory: stateDirectory),
            socketGroup: socketGroup.flatMap(ControlSettings.group(named:)),
            socketMode: mode_t(socketMode, radix: 8) ?? 0o660, maxClients: maxClients,
            idleTimeout: ControlSettings.parseDuration(idleTimeout) ?? ControlSettings.defaultIdleTimeout,
            retention: ControlSettings.parseDuration(retention) ?? ControlSettings.defaultRetention)
    }
}
