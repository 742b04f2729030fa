#ifndef CSEXTANT_SYSTEM_H
#define CSEXTANT_SYSTEM_H

/// Flushes every dirty page of the filesystem holding `fd` (Linux syncfs(2)); -1 with errno on failure.
/// Swift's Glibc module does not expose syncfs, which needs _GNU_SOURCE.
int sextant_syncfs(int fd);

#endif
