// Preloaded before libfaketime by FakeClock.swift (not part of any target): libfaketime moves
// every absolute timer deadline by its offset as if it were on CLOCK_REALTIME, but Dispatch,
// under Swift's Task.sleep, arms absolute CLOCK_MONOTONIC and CLOCK_BOOTTIME timerfds. A minute
// slow, every sleep would last a minute longer; a minute fast, every timer would fire at once
// and spin. Here only real-time timers go through libfaketime; the others go to the kernel.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

// Whether each timerfd (by descriptor) counts real time: set when it is created.
static unsigned char realtime[65536];

static int is_realtime(int fd) { return fd >= 0 && fd < (int)sizeof realtime && realtime[fd]; }

int timerfd_create(int clock, int flags) {
    int fd = (int)syscall(SYS_timerfd_create, clock, flags);
    if (fd >= 0 && fd < (int)sizeof realtime) {
        realtime[fd] = clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_ALARM;
    }
    return fd;
}

int timerfd_settime(int fd, int flags, const struct itimerspec *value, struct itimerspec *old) {
    if (is_realtime(fd)) {
        int (*faked)(int, int, const struct itimerspec *, struct itimerspec *) = dlsym(RTLD_NEXT, "timerfd_settime");
        return faked(fd, flags, value, old);
    }
    return (int)syscall(SYS_timerfd_settime, fd, flags, value, old);
}

int timerfd_gettime(int fd, struct itimerspec *value) {
    if (is_realtime(fd)) {
        int (*faked)(int, struct itimerspec *) = dlsym(RTLD_NEXT, "timerfd_gettime");
        return faked(fd, value);
    }
    return (int)syscall(SYS_timerfd_gettime, fd, value);
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec *request, struct timespec *remaining) {
    if (clock == CLOCK_REALTIME) {
        int (*faked)(clockid_t, int, const struct timespec *, struct timespec *) = dlsym(RTLD_NEXT, "clock_nanosleep");
        return faked(clock, flags, request, remaining);
    }
    return syscall(SYS_clock_nanosleep, clock, flags, request, remaining) == 0 ? 0 : errno;
}
