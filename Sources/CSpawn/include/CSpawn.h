#ifndef FCSYNTH_CSPAWN_H
#define FCSYNTH_CSPAWN_H

/* malloc.h is not in Swift's Glibc module: it gives FcsynthSystem mallopt. */
#include <malloc.h>
#include <spawn.h>

/* glibc declares posix_spawn_file_actions_addclosefrom_np only under _GNU_SOURCE, which
   Swift's Glibc module does not define: this exposes it. */
int fcsynth_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

/* prctl is variadic, which Swift cannot call: marks the process not dumpable, so that no core
   file (and no ptrace by another user) can take the secrets it holds. */
int fcsynth_forbid_core_dumps(void);

#endif
