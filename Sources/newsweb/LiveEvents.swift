import ControlWire
import Foundation
import Hummingbird
import ServiceLifecycle

/// `/events`: server-sent events for the overview. `change` for each change-log entry the
/// daemon's `follow` stream sends (as JSON the page's script puts into the list with
/// `textContent`, never as markup), `status` with the counts every few seconds when they
/// change, `down` when the daemon stops answering (then the stream ends and the browser
/// reconnects); a comment line every few seconds otherwise, so a browser that has gone is
/// noticed. A graceful shutdown ends every stream.
enum LiveEvents {
    enum Event: Sendable {
        case change(ChangeRecord)
        case status(StatusResult)
        case down(String)
        /// Nothing new: a comment line, so that a browser that has gone is noticed.
        case ping
    }

    static let statusInterval: Duration = .seconds(2)

    static func respond(_ backend: any CatalogueBackend) async -> Response {
        let status: StatusResult
        do {
            status = try await backend.status()
        } catch {
            return Page.failure(error, socketPath: backend.socketPath)
        }
        let events = stream(backend, from: status)
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                try await writer.write(buffer("retry: 5000\n\n"))
                for await event in events.cancelOnGracefulShutdown() {
                    try await writer.write(buffer(encode(event)))
                    if case .down = event { break }
                }
                try await writer.finish(nil)
            })
    }

    /// The changes after `status`'s cursor and the counts as they move, merged.
    static func stream(_ backend: any CatalogueBackend, from status: StatusResult) -> AsyncStream<Event> {
        let (events, continuation) = AsyncStream.makeStream(
            of: Event.self, bufferingPolicy: .bufferingNewest(1_000))
        let changes = backend.follow(since: status.cursor)
        let follower = Task {
            do {
                for try await change in changes { continuation.yield(.change(change)) }
                continuation.yield(.down("the change stream ended"))
            } catch {
                continuation.yield(.down(BackendError(error).description))
            }
            continuation.finish()
        }
        let poller = Task {
            var last = counts(status)
            while !Task.isCancelled {
                try? await Task.sleep(for: statusInterval)
                guard let now = try? await backend.status() else {
                    continuation.yield(.ping)
                    continue
                }
                if counts(now) != last {
                    last = counts(now)
                    continuation.yield(.status(now))
                } else {
                    continuation.yield(.ping)
                }
            }
        }
        continuation.onTermination = { _ in
            follower.cancel()
            poller.cancel()
        }
        return events
    }

    static func counts(_ status: StatusResult) -> [String] {
        [
            status.state, "\(status.files)", "\(status.contents)", "\(status.errors)", "\(status.queue)",
            "\(status.clusters ?? 0)", "\(status.duplicateGroups)", "\(status.skipped)",
        ]
    }

    /// One event in the `text/event-stream` format (JSON data has no line breaks).
    static func encode(_ event: Event) -> String {
        switch event {
        case .change(let change):
            let payload: [String: String] = [
                "op": change.op, "path": change.path.display, "href": Links.article(change.path),
                "at": Format.time(nanoseconds: change.atNanoseconds), "state": change.state,
            ]
            return "event: change\nid: \(change.seq)\ndata: \(json(payload))\n\n"
        case .status(let status):
            let payload: [String: String] = [
                "state": status.state, "files": Format.number(status.files),
                "contents": Format.number(status.contents), "errors": Format.number(status.errors),
                "queue": Format.number(status.queue), "clusters": Format.number(status.clusters ?? 0),
                "duplicate_groups": Format.number(status.duplicateGroups),
                "skipped": Format.number(status.skipped),
            ]
            return "event: status\ndata: \(json(payload))\n\n"
        case .down(let message):
            return "event: down\ndata: \(json(["message": message]))\n\n"
        case .ping:
            return ": ping\n\n"
        }
    }

    static func json(_ payload: [String: String]) -> String {
        let data = (try? JSONEncoder().encode(payload)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private static func buffer(_ text: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString(text)
        return buffer
    }
}
