// Linux interfaces that Swift's Glibc module does not export: eventfd(2), statfs(2), statx(2), the
// peer credentials of a Unix socket (struct ucred needs _GNU_SOURCE) and mallopt(3).
#ifndef CSYSTEMSHIMS_H
#define CSYSTEMSHIMS_H

#include <sys/eventfd.h>
#include <stdint.h>
#include <sys/vfs.h>

/// The filesystem type magic (`f_type` of statfs(2)) of `path`, or 0 when it cannot be read.
long newsd_filesystem_type(const char *path);

/// Whether `path` (not followed if a symlink) is the root of a mounted filesystem: 1 if it is,
/// 0 if not, -1 with errno set when it cannot be examined. statx(2)'s STATX_ATTR_MOUNT_ROOT
/// where the kernel reports it (Linux 5.8 and later, bind mounts included); otherwise a device
/// different from its parent's.
int newsd_is_mount_root(const char *path);

/// A non-blocking, close-on-exec eventfd, or -1 with errno set.
int newsd_eventfd(void);

/// mallopt(M_MMAP_THRESHOLD, bytes): a fixed threshold (glibc stops adjusting it); 1 on success.
int newsd_fix_mmap_threshold(int bytes);
int newsd_limit_arenas(int arenas);

/// The layout of `struct ucred` (`SO_PEERCRED`): the peer's pid, uid and gid at connect time.
struct newsd_peer_credentials {
    int32_t pid;
    uint32_t uid;
    uint32_t gid;
};

/// `SO_PEERCRED`, for `getsockopt` at `SOL_SOCKET`.
static const int newsd_so_peercred = 17;

#endif
