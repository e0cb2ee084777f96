// Linux interfaces that Swift's Glibc module does not export: eventfd(2) and statfs(2).
#ifndef CSYSTEMSHIMS_H
#define CSYSTEMSHIMS_H

#include <sys/eventfd.h>
#include <sys/vfs.h>

/// The filesystem type magic (`f_type` of statfs(2)) of `path`, or 0 when it cannot be read.
long newsd_filesystem_type(const char *path);

/// A non-blocking, close-on-exec eventfd, or -1 with errno set.
int newsd_eventfd(void);

#endif
