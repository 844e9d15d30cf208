import CSpawn
import Glibc

/// glibc serves a block above its mmap threshold (128 KiB at first) with a fresh mapping and
/// unmaps it when freed, so a buffer made again for every batch (an enqueue's 600 KB script
/// call, its reply) pays a page fault and a zeroed page for each 4 KiB it touches: 400,000
/// faults and a sixth of `fcsynth enqueue`'s CPU for a million rows. Kept in the heap, the
/// freed block serves the next batch.
public enum LargeAllocations {
    /// Serves blocks up to 64 MiB from the heap, and returns its top to the system only past
    /// 256 MiB free. For processes that make and free large buffers over and over (the
    /// coordinator), not for a worker whose memory per call in flight matters more.
    public static func keepInHeap() {
        _ = mallopt(M_MMAP_THRESHOLD, 64 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 256 << 20)
    }
}
