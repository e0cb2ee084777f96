#include "CSystemShims.h"

#include <malloc.h>

long newsd_filesystem_type(const char *path) {
    struct statfs info;
    if (statfs(path, &info) != 0) return 0;
    return (long)info.f_type;
}

int newsd_eventfd(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

int newsd_fix_mmap_threshold(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}

int newsd_limit_arenas(int arenas) {
    return mallopt(M_ARENA_MAX, arenas);
}
