#define _GNU_SOURCE
#include <unistd.h>
#ifdef __linux__
#include <malloc.h>
#endif
#include "CSextantSystem.h"

int sextant_syncfs(int fd) {
#ifdef __linux__
    return syncfs(fd);
#else
    (void)fd;
    sync();
    return 0;
#endif
}

void sextant_limit_malloc_arenas(int count) {
#ifdef __linux__
    mallopt(M_ARENA_MAX, count);
#else
    (void)count;
#endif
}

void sextant_fix_mmap_threshold(int bytes) {
#ifdef __linux__
    mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
#endif
}

void sextant_trim_malloc(void) {
#ifdef __linux__
    malloc_trim(0);
#endif
}
