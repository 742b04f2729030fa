#ifndef CSEXTANT_SYSTEM_H
#define CSEXTANT_SYSTEM_H

/// Flushes every dirty page of the filesystem holding `fd` (Linux syncfs(2)); -1 with errno on failure.
/// Swift's Glibc module does not expose syncfs, which needs _GNU_SOURCE.
int sextant_syncfs(int fd);

/// Caps glibc's malloc arenas at `count` (mallopt M_ARENA_MAX). With one arena per thread, freed
/// request memory stays spread over many arenas and RSS grows by ~100 MiB under sustained ingest.
void sextant_limit_malloc_arenas(int count);

/// Fixes glibc's mmap threshold at `bytes` (mallopt M_MMAP_THRESHOLD), which also stops glibc from
/// raising it each time a large block is freed: blocks this large are always mapped and go back to
/// the system when freed, instead of fragmenting the heap until the next trim.
void sextant_fix_mmap_threshold(int bytes);

/// Returns freed heap memory to the system (glibc malloc_trim); after a burst of large requests
/// glibc otherwise keeps it, and RSS stays at the burst's peak.
void sextant_trim_malloc(void);

#endif
