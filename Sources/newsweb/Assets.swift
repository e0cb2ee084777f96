import Hummingbird

/// The style sheet and the live-update script: files served by newsweb itself, so the
/// Content-Security-Policy allows no inline style or script at all.
enum Assets {
    static let stylePath = "/static/newsweb.css"
    static let scriptPath = "/static/live.js"

    static func register<Context: RequestContext>(on router: Router<Context>) {
        router.get(RouterPath(stringLiteral: stylePath)) { _, _ in
            file(style, type: "text/css; charset=utf-8")
        }
        router.get(RouterPath(stringLiteral: scriptPath)) { _, _ in
            file(script, type: "text/javascript; charset=utf-8")
        }
    }

    private static func file(_ text: String, type: String) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(text)
        return Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "private, max-age=3600"],
            body: ResponseBody(byteBuffer: buffer))
    }

    static let style = """
        :root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fdfdfc; --muted: #6b6b70; --line: #d9d9de;
          --accent: #1f5fbf; --mark: #ffe58a; --diff: #fff1c7; --diff-edge: #d9a400; --bad: #b3261e; }
        @media (prefers-color-scheme: dark) { :root { --fg: #e8e8ea; --bg: #17171a; --muted: #9a9aa2;
          --line: #34343a; --accent: #7fb0ff; --mark: #6b5a00; --diff: #3a3000; --diff-edge: #d9a400;
          --bad: #ff8a80; } }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; color: var(--fg); background: var(--bg); line-height: 1.5;
          font: 16px/1.5 system-ui, "Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", sans-serif; }
        [lang=ar], [lang=fa] { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", system-ui, sans-serif;
          line-height: 1.8; }
        a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
        code, .path { font-family: ui-monospace, "Noto Sans Mono", monospace; font-size: .9em;
          overflow-wrap: anywhere; }
        header.site { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center;
          justify-content: space-between; padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
        header.site nav a { margin-inline-end: 1rem; font-weight: 600; }
        header.site .home { font-size: 1.15rem; }
        form.search { display: flex; gap: .4rem; flex: 1 1 16rem; max-width: 32rem; }
        form.search input[type=search] { flex: 1; min-width: 0; }
        input, select, button { font: inherit; padding: .3rem .5rem; border: 1px solid var(--line);
          border-radius: 4px; background: var(--bg); color: var(--fg); }
        main { padding: 1rem; max-width: 72rem; margin: 0 auto; }
        main.wide { max-width: none; }
        h1 { font-size: 1.4rem; margin: .2rem 0 .8rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
        .muted, .chrome { color: var(--muted); }
        .state { display: inline-block; padding: .05rem .5rem; border-radius: 1rem; border: 1px solid var(--line);
          font-weight: 600; }
        .state-watching { color: #1b7f3b; } .state-degraded, .state-error { color: var(--bad); }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
        dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        .counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: .6rem; }
        .counts div { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .7rem; }
        .counts b { display: block; font-size: 1.4rem; }
        ul.warnings li { color: var(--bad); }
        svg.chart { width: 100%; max-width: 36rem; height: auto; }
        svg.chart rect { fill: var(--accent); } svg.chart text { fill: var(--fg); font-size: 13px; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: start; padding: .35rem .5rem; border-bottom: 1px solid var(--line);
          vertical-align: top; }
        th { font-weight: 600; color: var(--muted); }
        td.num { text-align: end; white-space: nowrap; font-variant-numeric: tabular-nums; }
        .scroll { overflow-x: auto; }
        ul.changes { list-style: none; padding: 0; margin: 0; }
        ul.changes li { padding: .25rem 0; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
        .op { display: inline-block; min-width: 4.5rem; font-weight: 600; }
        .pager { display: flex; gap: 1rem; align-items: center; margin: 1rem 0; flex-wrap: wrap; }
        .members { display: grid; grid-template-columns: repeat(var(--cols, 2), minmax(16rem, 1fr)); gap: 1rem;
          overflow-x: auto; }
        .members.cols-1 { --cols: 1; } .members.cols-2 { --cols: 2; } .members.cols-3 { --cols: 3; }
        .members.cols-4 { --cols: 4; }
        .member { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; min-width: 0; }
        .member h2 { margin-top: 0; font-size: 1.05rem; overflow-wrap: anywhere; }
        .text { margin-top: .9rem; padding-top: .6rem; border-top: 1px solid var(--line); }
        .text p { margin: 0 0 .5rem; overflow-wrap: anywhere; white-space: pre-wrap; }
        .text p.chrome { opacity: .55; font-size: .92em; }
        .text p.title { font-weight: 700; }
        .text p.diff { background: var(--diff); border-inline-start: 3px solid var(--diff-edge);
          padding-inline-start: .4rem; }
        .legend span { margin-inline-end: 1rem; }
        .legend .diff { background: var(--diff); border-inline-start: 3px solid var(--diff-edge); padding: 0 .3rem; }
        .legend .chrome { opacity: .55; }
        .token { border: 1px solid var(--line); border-radius: 3px; padding: 0 .3rem; margin-inline-end: .3rem; }
        mark { background: var(--mark); color: inherit; padding: 0 .1em; }
        .hit { padding: .6rem 0; border-bottom: 1px solid var(--line); }
        .hit h2 { margin: 0 0 .2rem; font-size: 1.05rem; }
        .hit p { margin: .2rem 0; overflow-wrap: anywhere; }
        .error-reason { color: var(--bad); }
        .live { font-size: .85rem; } .live.off { color: var(--bad); }
        .problem h1 { color: var(--bad); }
        @media (max-width: 40rem) {
          main { padding: .7rem; }
          .members { grid-template-columns: 1fr; }
          dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: .4rem; }
          th.optional, td.optional { display: none; }
        }
        """

    static let script = """
        "use strict";
        (function () {
          var list = document.getElementById("changes");
          var badge = document.getElementById("live");
          if (!list || !window.EventSource) { return; }
          var source = null;
          function show(text, off) { if (badge) { badge.textContent = text; badge.classList.toggle("off", off); } }
          function connect() {
            source = new EventSource("/events");
            source.addEventListener("open", function () { show("live", false); });
            source.addEventListener("change", function (event) {
              var change = JSON.parse(event.data);
              var item = document.createElement("li");
              var op = document.createElement("span");
              op.className = "op"; op.textContent = change.op;
              item.appendChild(op);
              var link = document.createElement("a");
              link.setAttribute("dir", "auto"); link.className = "path";
              link.textContent = change.path;
              if (typeof change.href === "string" && change.href.indexOf("/article?") === 0) { link.href = change.href; }
              item.appendChild(link);
              var when = document.createElement("span");
              when.className = "muted"; when.textContent = " " + change.at;
              item.appendChild(when);
              list.insertBefore(item, list.firstChild);
              while (list.children.length > 50) { list.removeChild(list.lastChild); }
            });
            source.addEventListener("status", function (event) {
              var status = JSON.parse(event.data);
              Object.keys(status).forEach(function (key) {
                var field = document.querySelector("[data-status='" + key + "']");
                if (field) { field.textContent = String(status[key]); }
              });
            });
            source.addEventListener("down", function (event) {
              show("newsd is not answering: " + JSON.parse(event.data).message, true);
            });
            source.addEventListener("error", function () {
              show("reconnecting…", true);
              if (source.readyState === EventSource.CLOSED) { setTimeout(connect, 5000); }
            });
          }
          connect();
        })();
        """
}
