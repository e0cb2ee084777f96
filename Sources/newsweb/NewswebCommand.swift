import ArgumentParser
import CSystemShims
import ControlWire
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// `newsweb`: the catalogue as a web page, for one user on this machine.
@main
struct NewswebCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsweb",
        abstract: "Serve the news catalogue as a web page on this machine (read-only).",
        discussion: """
            newsweb reads the catalogue through newsd's control socket, exactly as newsctl does, and \
            serves it on a loopback address. It prints the page's address with a fresh access token \
            on stdout; open it in a browser (the token is then kept in a cookie).
            """)

    @Option(help: ArgumentHelp(ControlSocketPath.help, valueName: "path"))
    var socket: String?

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "host:port"))
    var listen = "127.0.0.1:8642"

    @Flag(help: "Allow a --listen address that is not loopback (other machines could then reach the page).")
    var allowNonLoopback = false

    @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error.", valueName: "level"))
    var logLevel = "notice"

    func run() async throws {
        let address: ListenAddress
        do {
            address = try ListenAddress(parsing: listen)
        } catch {
            throw ValidationError(error.description)
        }
        if !address.isLoopback && !allowNonLoopback {
            throw ValidationError(
                "\(listen) is not a loopback address: newsweb serves the catalogue to this machine only. "
                    + "Pass --allow-non-loopback to listen there anyway.")
        }
        // Two malloc arenas, not eight per core: the threads that answer requests allocate
        // little, and idle arenas stay resident.
        _ = newsd_limit_arenas(2)
        var logger = Logger(label: "newsweb")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .notice
        let threads = NIOThreadPool(numberOfThreads: 4)
        threads.start()
        let backend = SocketBackend(socketPath: ControlSocketPath.resolve(socket), threads: threads)
        let token = AccessToken.random()
        let router = WebRouter.make(backend: backend, token: token)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? address.port
                let text =
                    "newsweb: open \(address.url(port: port))/?token=\(token.value)\n"
                    + "(reading newsd at \(backend.socketPath); Ctrl-C stops)\n"
                FileHandle.standardOutput.write(Data(text.utf8))
            },
            eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton),
            logger: logger)
        try await app.runService()
        try await threads.shutdownGracefully()
    }
}
