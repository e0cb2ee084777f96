#define _GNU_SOURCE
#include "CSystemShims.h"

#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

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

int newsd_is_mount_root(const char *path) {
    struct statx info;
    if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &info) != 0) return -1;
    if (info.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) {
        return (info.stx_attributes & STATX_ATTR_MOUNT_ROOT) ? 1 : 0;
    }
    size_t length = strlen(path);
    if (length + 4 > PATH_MAX) return -1;
    char parent[PATH_MAX];
    memcpy(parent, path, length);
    memcpy(parent + length, "/..", 4);
    struct stat self, above;
    if (lstat(path, &self) != 0 || stat(parent, &above) != 0) return -1;
    return (self.st_dev != above.st_dev || self.st_ino == above.st_ino) ? 1 : 0;
}
