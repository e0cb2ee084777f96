import ArgumentParser

/// `--rebuild-damaged-catalogue`, for `newsd run` and `newsd scan`: the one way past a damaged
/// catalogue, asked for explicitly because it gives up the change-log history.
struct RebuildOptions: ParsableArguments {
    @Flag(
        help: ArgumentHelp(
            "If the catalogue is damaged, move it aside and rebuild it from the tree.",
            discussion: """
                The damaged catalog.sqlite (and its -wal and -shm) is kept beside it as \
                catalog.sqlite.damaged-<UTC time>; the change-log history is lost, so every consumer's \
                next `changes` answers fresh_instance. A sound catalogue is left alone.
                """))
    var rebuildDamagedCatalogue = false
}
