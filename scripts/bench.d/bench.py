"""fcsynth's benchmarks; run through ../bench, which installs, builds and passes the binaries.

Every service (redis-server, the HTTP simulator) and every fcsynth process is started here and
stopped here by PID. Measurements come from the processes themselves (/proc/PID/stat and
/proc/PID/status for live ones, wait4 for short-lived ones), from Redis INFO and from the
simulator's /stats.
"""

import argparse
import atexit
import datetime
import json
import os
import platform
import re
import resource
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

TICKS = os.sysconf("SC_CLK_TCK")
MARK_BEGIN = "<!-- bench:begin (written by scripts/bench; edits between these marks are lost) -->"
MARK_END = "<!-- bench:end -->"

# Targets for a 2-core machine, release build.
TARGET_TASKS_PER_SECOND = 20_000
TARGET_WALL_RATIO = 1.15
TARGET_UTILISATION = 0.9
TARGET_CPU_MS_PER_CALL = 0.3
TARGET_WORKER_RSS_MB = 64
TARGET_ENQUEUE_ROWS_PER_SECOND = 100_000
TARGET_COORDINATOR_RSS_MB = 50
TARGET_MEMORY_RATIO = 1.5


# ---------------------------------------------------------------------------------------------
# Processes


class Processes:
    """What this script started, so that it can stop exactly that."""

    def __init__(self):
        self.live = []

    def start(self, argv, log, env=None):
        out = open(log, "ab")
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env, stdin=subprocess.DEVNULL)
        out.close()
        self.live.append(process)
        return process

    def stop(self, process, grace=30):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process in self.live:
            self.live.remove(process)

    def stop_all(self):
        for process in reversed(list(self.live)):
            self.stop(process, grace=10)


PROCESSES = Processes()
atexit.register(PROCESSES.stop_all)


def cpu_seconds(pid):
    """User plus system CPU of a live process."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def timed(argv, log, env=None):
    """Runs a command to its end: (wall seconds, CPU seconds, peak RSS in MB)."""
    with open(log, "ab") as out:
        started = time.monotonic()
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({process.returncode}); see {log}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting for {what}")
        time.sleep(0.05)


# ---------------------------------------------------------------------------------------------
# Redis


class Redis:
    """Just enough RESP for polling and INFO."""

    def __init__(self, port):
        self.port = port
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""
        self.sent = 0

    def pipeline(self, *commands):
        payload = b"".join(self._encode(command) for command in commands)
        self.sock.sendall(payload)
        self.sent += len(commands)
        return [self._reply() for _ in commands]

    def __call__(self, *command):
        return self.pipeline(command)[0]

    def info(self, section):
        text = self("INFO", section).decode()
        return dict(line.split(":", 1) for line in text.splitlines() if ":" in line and not line.startswith("#"))

    @staticmethod
    def _encode(command):
        parts = [f"*{len(command)}\r\n".encode()]
        for argument in command:
            data = argument if isinstance(argument, bytes) else str(argument).encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
        return b"".join(parts)

    def _line(self):
        while b"\r\n" not in self.buffer:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("redis closed the connection")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def _reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            length = int(rest)
            if length < 0:
                return None
            while len(self.buffer) < length + 2:
                self.buffer += self.sock.recv(max(1 << 16, length + 2 - len(self.buffer)))
            data, self.buffer = self.buffer[:length], self.buffer[length + 2:]
            return data
        if kind == b"*":
            count = int(rest)
            return None if count < 0 else [self._reply() for _ in range(count)]
        raise RuntimeError(f"unexpected reply {line!r}")


def start_redis(scratch):
    port = free_port()
    folder = os.path.join(scratch, "redis")
    os.makedirs(folder, exist_ok=True)
    config = os.path.join(folder, "redis.conf")
    with open(config, "w") as out:
        out.write(f"port {port}\nbind 127.0.0.1\ndir {folder}\nsave \"\"\nappendonly no\ndaemonize no\n")
    process = PROCESSES.start(["redis-server", config], os.path.join(folder, "redis.log"))
    wait_for(lambda: _accepts(port), 15, "redis-server")
    return process, port


def _accepts(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def fresh(redis):
    redis("FLUSHALL")
    redis("CONFIG", "RESETSTAT")


# ---------------------------------------------------------------------------------------------
# The fcsynth binaries


class Fcsynth:
    def __init__(self, bin_dir, scratch, redis_port):
        self.coordinator = os.path.join(bin_dir, "fcsynth")
        self.worker = os.path.join(bin_dir, "fcsynth-worker")
        self.scratch = scratch
        self.env = dict(os.environ, FCSYNTH_REDIS_URL=f"redis://127.0.0.1:{redis_port}")
        for name in ("FCSYNTH_LLM_URL", "FCSYNTH_MODEL", "FCSYNTH_API_KEY", "OPENAI_API_KEY"):
            self.env.pop(name, None)
        self.log = os.path.join(scratch, "fcsynth.log")

    def enqueue(self, path, run, *extra):
        # The rows repeat a few seeds and the simulator writes the same composition task for most
        # of them: with the near-duplicate filter on (the default), nine in ten would end at the
        # composition filter, and the figures would measure a pipeline cut short.
        return timed([self.coordinator, "enqueue", path, "--run", run, "--no-dedup", *extra], self.log, self.env)

    def export(self, run, output, fmt):
        return timed([self.coordinator, "export", "--run", run, "-o", output, "--format", fmt], self.log, self.env)

    def status(self, run):
        result = subprocess.run([self.coordinator, "status", "--run", run, "--json"], env=self.env,
                                capture_output=True, check=True)
        return json.loads(result.stdout)

    def start_workers(self, count, run, *backend, traces=None):
        def argv(index):
            trace = ("--slot-trace", traces[index]) if traces else ()
            return [self.worker, *backend, *trace, "--run", run, "--id", f"bench-{index}", "--log-level", "warning"]
        return [PROCESSES.start(argv(index), os.path.join(self.scratch, f"worker-{index}.log"), self.env)
                for index in range(count)]

    def start_simulator(self, *flags):
        port_file = os.path.join(self.scratch, "simulator.port")
        if os.path.exists(port_file):
            os.remove(port_file)
        process = PROCESSES.start([self.coordinator, "simulator", "--port", "0", "--port-file", port_file, *flags],
                                  os.path.join(self.scratch, "simulator.log"), self.env)
        wait_for(lambda: os.path.exists(port_file) and os.path.getsize(port_file) > 0, 15, "the simulator")
        with open(port_file) as text:
            return process, int(text.read().strip())


class Simulator:
    def __init__(self, fcsynth, *flags):
        self.process, self.port = fcsynth.start_simulator(*flags)
        self.base = f"http://127.0.0.1:{self.port}"

    @property
    def llm_flags(self):
        return ("--llm-url", f"{self.base}/v1", "--model", "bench")

    def stats(self):
        with urllib.request.urlopen(f"{self.base}/stats") as reply:
            return json.load(reply)

    def reset(self):
        urllib.request.urlopen(urllib.request.Request(f"{self.base}/stats/reset", method="POST")).close()


def wait_until_complete(redis, run, rows, timeout, poll=0.002):
    """Polls the run's counters: (time of the first claim, time of completion). The first claim
    is when the first queue first holds fewer than the rows enqueued."""
    queue = f"fcsynth:{{{run}}}:q:scenario_extract"
    counters = f"fcsynth:{{{run}}}:counters"
    deadline = time.monotonic() + timeout
    first_claim = None
    while True:
        now = time.monotonic()
        length, (output, filtered, dead, items) = redis.pipeline(
            ("LLEN", queue), ("HMGET", counters, "output", "filtered", "dead", "items"))
        if first_claim is None and length < rows:
            first_claim = now
        finished = sum(int(value or 0) for value in (output, filtered, dead))
        if items and finished == int(items):
            return first_claim or now, now
        if now > deadline:
            sys.exit(f"run {run} did not complete within {timeout} s ({finished} of {int(items or 0)} items finished)")
        time.sleep(poll)


def stage_tasks(status):
    return sum(stage["done"] for stage in status["stages"].values())


# ---------------------------------------------------------------------------------------------
# Inputs


def seed_rows(root):
    with open(os.path.join(root, "example_data", "seed_chats.jsonl")) as lines:
        return [json.loads(line) for line in lines if line.strip()]


def write_seed_copies(root, path, count):
    """The example seeds repeated to `count` rows, each with an id and a chat of its own
    (enqueue skips a row whose chat the run already holds)."""
    seeds = seed_rows(root)
    with open(path, "w") as out:
        for index in range(count):
            row = dict(seeds[index % len(seeds)])
            row["id"] = f"bench-{index}"
            row["chat"] = f"(row {index}) " + row["chat"]
            out.write(json.dumps(row) + "\n")
    return path


def write_scale_rows(root, path, count):
    """`count` rows shaped like the seeds but 300 to 500 bytes each: a window of a seed chat."""
    seeds = [row["chat"] for row in seed_rows(root)]
    with open(path, "w") as out:
        for index in range(count):
            chat = seeds[index % len(seeds)]
            start = (index * 37) % max(1, len(chat) - 500)
            length = 260 + (index * 7919) % 180
            out.write(json.dumps({"id": f"row-{index}", "chat": f"(row {index}) " + chat[start:start + length]}) + "\n")
    return path


# ---------------------------------------------------------------------------------------------
# The benchmarks


def bench_queue(context, workers, rows_path, rows, concurrency):
    """Stage tasks per second and Redis commands per task, with the in-process simulated LLM."""
    redis, fcsynth = context.redis, context.fcsynth
    fresh(redis)
    run = "queue"
    fcsynth.enqueue(rows_path, run)
    stats_before = redis.info("stats")
    sent_before = redis.sent
    redis_cpu_before = cpu_seconds(context.redis_process.pid)
    processes = fcsynth.start_workers(workers, run, "--simulate", "--concurrency", str(concurrency))
    started, finished = wait_until_complete(redis, run, rows, timeout=900)
    worker_cpu = sum(cpu_seconds(process.pid) for process in processes)
    rss = max(peak_rss_mb(process.pid) for process in processes)
    redis_cpu = cpu_seconds(context.redis_process.pid) - redis_cpu_before
    stats_after = redis.info("stats")
    commands = (int(stats_after["total_commands_processed"]) - int(stats_before["total_commands_processed"])
                - (redis.sent - sent_before))
    network = sum(int(stats_after[key]) - int(stats_before[key]) for key in ("total_net_input_bytes", "total_net_output_bytes"))
    scripts = sum(int(re.search(r"calls=(\d+)", value).group(1))
                  for key, value in redis.info("commandstats").items() if key in ("cmdstat_evalsha", "cmdstat_eval"))
    for process in processes:
        PROCESSES.stop(process)
    tasks = stage_tasks(fcsynth.status(run))
    wall = finished - started
    return {
        "tasks": tasks, "wall_s": wall, "tasks_per_s": tasks / wall, "commands_per_task": commands / tasks,
        "scripts_per_task": scripts / tasks, "redis_kb_per_task": network / tasks / 1024,
        "worker_cpu_ms_per_task": 1000 * worker_cpu / tasks,
        "redis_cpu_ms_per_task": 1000 * redis_cpu / tasks, "worker_peak_rss_mb": rss,
    }


def conversation_chain(record, expand):
    """LLM calls on the longest path to one conversation: one per stage before the conversation
    (scenario extraction, [expansion,] atomic task, composition, filter, functions), and one
    per dialogue message, since each user, assistant and tool message is one agent call."""
    before = 6 if expand else 5
    return before + sum(1 for message in record["messages"] if message["role"] != "system")


def read_slot_trace(path, worker):
    """A worker's `--slot-trace` file: (seconds on CLOCK_MONOTONIC, worker, kind, detail) per event."""
    events = []
    with open(path) as lines:
        for line in lines:
            parts = line.split()
            if len(parts) >= 2:
                events.append((int(parts[1]) / 1e9, worker, parts[0], parts[2:]))
    return events


def slot_breakdown(traces, concurrency):
    """Where the slots' time went, from the workers' slot traces, as shares of slots × wall
    (first claim sent to last slot freed). `start`: slots idle before the calls in flight
    first reach their peak; `tail`: slots idle after the last item's first task took a slot
    (the input has run out, the run drains); between the two, a slot that holds no LLM call
    is in its stage's own work (`stage`: decoding, replay, prompts, validation), waiting for
    its hand-off to be written (`handoff`), free while a claim is out (`claim_trip`), or free
    with none out (`claim_wait`: the claim threshold and the loop's wake-up)."""
    events = sorted(event for worker, path in enumerate(traces) for event in read_slot_trace(path, worker))
    workers = len(traces)
    total = concurrency * workers
    begin = min(t for t, _, kind, _ in events if kind == "claim")
    end = max(t for t, _, kind, _ in events if kind == "end")
    tail_from = max((t for t, _, kind, detail in events if kind == "start" and detail and detail[0] == "scenario_extract"),
                    default=end)
    calls = [0] * workers
    tasks = [0] * workers
    pending = [0] * workers
    claims = [0] * workers
    peak = 0
    level = 0
    for _, worker, kind, _ in events:
        level += {"call": 1, "reply": -1}.get(kind, 0)
        peak = max(peak, level)
    shares = dict.fromkeys(("call", "start", "stage", "handoff", "claim_trip", "claim_wait", "tail"), 0.0)
    full_from = None
    call_count = 0
    steady_calls = 0
    previous = begin
    for t, worker, kind, _ in events:
        if t > begin:
            span = min(t, end) - max(previous, begin)
            if span > 0:
                in_calls = sum(calls)
                shares["call"] += in_calls * span
                idle = total * span - in_calls * span
                if full_from is None:
                    shares["start"] += idle
                elif previous >= tail_from:
                    shares["tail"] += idle
                else:
                    for w in range(workers):
                        free = concurrency - tasks[w]
                        shares["stage"] += (tasks[w] - pending[w] - calls[w]) * span
                        shares["handoff"] += pending[w] * span
                        shares["claim_trip" if claims[w] else "claim_wait"] += free * span
            previous = max(previous, t)
        if kind == "call":
            calls[worker] += 1
            call_count += 1
            if full_from is not None and t < tail_from:
                steady_calls += 1
        elif kind == "reply":
            calls[worker] -= 1
        elif kind == "start":
            tasks[worker] += 1
        elif kind == "done":
            pending[worker] += 1
        elif kind == "end":
            tasks[worker] -= 1
            pending[worker] = max(0, pending[worker] - 1)
        elif kind == "claim":
            claims[worker] += 1
        elif kind == "claimed":
            claims[worker] -= 1
        if full_from is None and sum(calls) >= peak:
            full_from = t
    slot_time = total * (end - begin)
    steady_gaps = shares["stage"] + shares["handoff"] + shares["claim_trip"] + shares["claim_wait"]
    result = {f"share_{key}": value / slot_time for key, value in shares.items()}
    result.update({
        "trace_wall_s": end - begin, "start_s": (full_from or end) - begin, "tail_s": end - tail_from,
        "gap_ms_per_call": 1000 * steady_gaps / max(1, steady_calls), "traced_calls": call_count,
    })
    return result


def bench_llm(context, simulator, rows_path, rows, workers, concurrency, median_latency, worker_args=()):
    redis, fcsynth = context.redis, context.fcsynth
    fresh(redis)
    simulator.reset()
    run = "llm"
    fcsynth.enqueue(rows_path, run)
    simulator_cpu_before = cpu_seconds(simulator.process.pid)
    traces = [os.path.join(context.scratch, f"slots-{index}.trace") for index in range(workers)]
    processes = fcsynth.start_workers(workers, run, *simulator.llm_flags, "--concurrency", str(concurrency),
                                      *worker_args, traces=traces)
    started, finished = wait_until_complete(redis, run, rows, timeout=900, poll=0.005)
    worker_cpu = [cpu_seconds(process.pid) for process in processes]
    worker_rss = [peak_rss_mb(process.pid) for process in processes]
    simulator_cpu = cpu_seconds(simulator.process.pid) - simulator_cpu_before
    for process in processes:
        PROCESSES.stop(process)
    stats = simulator.stats()
    status = fcsynth.status(run)
    raw = os.path.join(context.scratch, "llm-raw.jsonl")
    fcsynth.export(run, raw, "raw")
    with open(raw) as lines:
        records = [json.loads(line) for line in lines]
    chains = [conversation_chain(record, expand=False) for record in records]
    total_concurrency = workers * concurrency
    wall = finished - started
    throughput_bound = stats["sum_latency_seconds"] / total_concurrency
    chain_bound = max(chains) * median_latency
    ideal = throughput_bound + chain_bound
    stage_calls = sum(stage["llm_calls"] for stage in status["stages"].values())
    tokens = status["prompt_tokens"] + status["completion_tokens"]
    result = {
        "wall_s": wall, "utilisation": stats["sum_latency_seconds"] / (total_concurrency * wall),
        "ideal_s": ideal, "wall_over_ideal": wall / ideal, "throughput_bound_s": throughput_bound,
        "chain_bound_s": chain_bound, "longest_chain": max(chains), "mean_chain": statistics.mean(chains),
        "conversations": len(records), "filtered": status["filtered"], "dead": status["dead"],
        "requests": stats["requests_total"], "stage_llm_calls": stage_calls, "output_chain_calls": sum(chains),
        "tokens_per_kept_conversation": tokens / max(1, len(records)),
        "max_in_flight": stats["max_in_flight"], "sum_latency_s": stats["sum_latency_seconds"],
        "cpu_ms_per_call": 1000 * sum(worker_cpu) / stats["requests_total"],
        "simulator_cpu_ms_per_call": 1000 * simulator_cpu / stats["requests_total"],
        "worker_peak_rss_mb": max(worker_rss), "simulator_peak_rss_mb": peak_rss_mb(simulator.process.pid),
    }
    result.update(slot_breakdown(traces, concurrency))
    return result


def bench_enqueue(context, rows_path, rows):
    redis, fcsynth = context.redis, context.fcsynth
    fresh(redis)
    memory_before = int(redis.info("memory")["used_memory"])
    redis_cpu_before = cpu_seconds(context.redis_process.pid)
    wall, cpu, rss = fcsynth.enqueue(rows_path, "scale", "--high-water-mark", str(rows * 2))
    redis_cpu = cpu_seconds(context.redis_process.pid) - redis_cpu_before
    memory = int(redis.info("memory")["used_memory"]) - memory_before
    queued = redis("LLEN", "fcsynth:{scale}:q:scenario_extract")
    if queued != rows:
        sys.exit(f"enqueue queued {queued} of {rows} rows")
    row_bytes = (os.path.getsize(rows_path) - rows) / rows  # without the newlines
    entry_bytes = statistics.mean(len(redis("LINDEX", "fcsynth:{scale}:q:scenario_extract", index))
                                  for index in range(0, rows, max(1, rows // 100)))
    per_row = memory / rows
    return {
        "wall_s": wall, "rows_per_s": rows / wall, "cpu_s": cpu, "redis_cpu_s": redis_cpu,
        "coordinator_peak_rss_mb": rss,
        "memory_per_row_bytes": per_row, "row_bytes": row_bytes, "memory_ratio": per_row / row_bytes,
        "task_entry_bytes": entry_bytes,
    }


def sample_record(context):
    """One real raw conversation record, from a small run on the in-process simulated LLM: the
    one with the lowest id, so that every run exports the same record whatever finished first."""
    redis, fcsynth = context.redis, context.fcsynth
    fresh(redis)
    rows = write_seed_copies(context.root, os.path.join(context.scratch, "sample.jsonl"), 8)
    fcsynth.enqueue(rows, "sample")
    processes = fcsynth.start_workers(1, "sample", "--simulate", "--concurrency", "8")
    wait_until_complete(redis, "sample", 8, timeout=120, poll=0.01)
    for process in processes:
        PROCESSES.stop(process)
    entries = [dict(zip(fields[::2], fields[1::2])) for _, fields in redis("XRANGE", "fcsynth:{sample}:out", "-", "+")]
    return min(entries, key=lambda entry: (len(entry[b"id"]), entry[b"id"]))[b"record"]


def bench_export(context, record, conversations):
    redis, fcsynth = context.redis, context.fcsynth
    fresh(redis)
    fill = os.path.join(context.scratch, "stream.resp")
    stream = b"fcsynth:{export}:out"
    with open(fill, "wb") as out:
        for index in range(conversations):
            out.write(Redis._encode((b"XADD", stream, b"*", b"id", f"x{index}".encode(), b"record", record)))
        out.write(Redis._encode((b"HSET", b"fcsynth:{export}:meta", b"state", b"enqueued")))
    with open(fill, "rb") as source:
        subprocess.run(["redis-cli", "-p", str(context.redis_port), "--pipe"], stdin=source, check=True,
                       stdout=subprocess.DEVNULL)
    output = os.path.join(context.scratch, "export.jsonl")
    wall, cpu, rss = fcsynth.export("export", output, "openai")
    with open(output, "rb") as lines:
        written = sum(1 for _ in lines)
    if written != conversations:
        sys.exit(f"export wrote {written} of {conversations} conversations")
    os.remove(output)
    return {"wall_s": wall, "lines_per_s": conversations / wall, "cpu_ms_per_line": 1000 * cpu / conversations,
            "coordinator_peak_rss_mb": rss, "record_bytes": len(record)}


def bench_concurrency(context, simulator, rows_path, concurrency, warmup, window):
    redis, fcsynth = context.redis, context.fcsynth
    fresh(redis)
    simulator.reset()
    fcsynth.enqueue(rows_path, "wide")
    # What is measured is the client at this many calls in flight. The adaptive pace's slow start
    # doubles per round of calls, 1 s here, and would spend the whole window climbing to it.
    (process,) = fcsynth.start_workers(1, "wide", *simulator.llm_flags, "--concurrency", str(concurrency),
                                       "--pace", "fixed")
    time.sleep(warmup)
    requests_before, cpu_before, at_before = simulator.stats()["requests_total"], cpu_seconds(process.pid), time.monotonic()
    time.sleep(window)
    stats = simulator.stats()
    requests, cpu, elapsed = stats["requests_total"] - requests_before, cpu_seconds(process.pid) - cpu_before, time.monotonic() - at_before
    rss = peak_rss_mb(process.pid)
    PROCESSES.stop(process, grace=60)
    return {
        "requests_per_s": requests / elapsed, "ideal_per_s": concurrency / 1.0,
        "throughput_ratio": requests / elapsed / concurrency, "cpu_ms_per_call": 1000 * cpu / max(1, requests),
        "worker_peak_rss_mb": rss, "max_in_flight": stats["max_in_flight"],
    }


# ---------------------------------------------------------------------------------------------
# Running and reporting


class Context:
    pass


def median_of(trials):
    keys = trials[0].keys()
    return {key: statistics.median(trial[key] for trial in trials) for key in keys}


def repeat(label, trials, measure):
    results = []
    for index in range(trials):
        result = measure()
        results.append(result)
        print(f"  {label} trial {index + 1}/{trials}: " + ", ".join(f"{key}={fmt(value)}" for key, value in result.items()),
              flush=True)
    return {"median": median_of(results), "trials": results}


def fmt(value):
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{value:,}"


def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        total_kb = int(meminfo.readline().split()[1])
    return {"cpus": os.cpu_count(), "memory_gb": total_kb / 1024 / 1024, "cpu_model": model,
            "kernel": platform.release(), "load": os.getloadavg()}


def plural(count, one, many):
    return f"{count:,} {one if count == 1 else many}"


def verdict(passed):
    return "met" if passed else "**missed**"


def report(results, settings, command, started):
    info = machine()
    commit = subprocess.run(["git", "-C", settings.root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    lines = [
        f"Measured {started:%Y-%m-%d %H:%M} UTC on {info['cpus']} CPUs ({info['cpu_model']}), "
        f"{info['memory_gb']:.0f} GB memory, Linux {info['kernel']}; commit `{commit or 'unknown'}`, release build. "
        f"Load average before the run: {info['load'][0]:.2f}. The machine is shared (other engineers build and test on it), "
        "so absolute rates move by tens of percent between runs; the ratios move less.",
        "",
        "```sh",
        command,
        "```",
        "",
        f"Each figure is the median of {plural(settings.trials, 'trial', 'trials')}.",
        "",
    ]
    rows = []
    if "queue" in results:
        for workers, result in sorted(results["queue"].items()):
            m = result["median"]
            rows.append((f"queue machinery, {plural(workers, 'worker process', 'worker processes')} × {settings.queue_concurrency}, simulated LLM",
                         f"{fmt(m['tasks_per_s'])} stage tasks/s",
                         f"≥ {TARGET_TASKS_PER_SECOND:,}/s" if workers == 1 else "scales with processes",
                         verdict(m["tasks_per_s"] >= TARGET_TASKS_PER_SECOND) if workers == 1 else "—"))
    if "llm" in results:
        for sigma, result in sorted(results["llm"].items()):
            m = result["median"]
            rows_of = dict(settings.llm_cases)[sigma]
            label = f"{rows_of} rows, 64 in flight, lognormal 200 ms σ {sigma}"
            rows.append((f"LLM-bound wall / ideal ({label})", f"{m['wall_over_ideal']:.2f}",
                         f"≤ {TARGET_WALL_RATIO}", verdict(m["wall_over_ideal"] <= TARGET_WALL_RATIO)))
            rows.append((f"slot utilisation, Σ latency / (64 × wall) ({label})", f"{m['utilisation']:.2f}",
                         f"≥ {TARGET_UTILISATION}", verdict(m["utilisation"] >= TARGET_UTILISATION)))
            rows.append((f"client CPU per LLM call, 64 in flight (σ {sigma})", f"{m['cpu_ms_per_call']:.3f} ms",
                         f"< {TARGET_CPU_MS_PER_CALL} ms", verdict(m["cpu_ms_per_call"] < TARGET_CPU_MS_PER_CALL)))
            rows.append((f"tokens per kept conversation (σ {sigma})", fmt(m["tokens_per_kept_conversation"]), "—", "—"))
    if "concurrency" in results:
        for concurrency, result in sorted(results["concurrency"].items()):
            m = result["median"]
            rows.append((f"client CPU per LLM call, {concurrency:,} in flight", f"{m['cpu_ms_per_call']:.3f} ms",
                         f"< {TARGET_CPU_MS_PER_CALL} ms", verdict(m["cpu_ms_per_call"] < TARGET_CPU_MS_PER_CALL)))
            if concurrency == 1000:
                rows.append(("worker peak RSS, 1,000 calls in flight", f"{m['worker_peak_rss_mb']:.0f} MB",
                             f"< {TARGET_WORKER_RSS_MB} MB", verdict(m["worker_peak_rss_mb"] < TARGET_WORKER_RSS_MB)))
    if "enqueue" in results:
        m = results["enqueue"]["median"]
        rows.append((f"enqueue {settings.scale_rows:,} rows", f"{fmt(m['rows_per_s'])} rows/s",
                     f"≥ {TARGET_ENQUEUE_ROWS_PER_SECOND:,}/s", verdict(m["rows_per_s"] >= TARGET_ENQUEUE_ROWS_PER_SECOND)))
        rows.append(("coordinator peak RSS while enqueuing", f"{m['coordinator_peak_rss_mb']:.0f} MB",
                     f"< {TARGET_COORDINATOR_RSS_MB} MB", verdict(m["coordinator_peak_rss_mb"] < TARGET_COORDINATOR_RSS_MB)))
        rows.append(("Redis memory per queued row / row bytes", f"{m['memory_ratio']:.2f}",
                     f"< {TARGET_MEMORY_RATIO}", verdict(m["memory_ratio"] < TARGET_MEMORY_RATIO)))
    if "export" in results:
        m = results["export"]["median"]
        rows.append((f"export {settings.export_conversations:,} conversations (openai)", f"{fmt(m['lines_per_s'])} lines/s",
                     "—", "—"))
    lines += ["| benchmark | median | target | |", "|---|---|---|---|"]
    lines += [f"| {name} | {value} | {target} | {state} |" for name, value, target, state in rows]
    lines.append("")

    def details(title, result, explanation):
        lines.extend([f"#### {title}", "", explanation, "", "| measure | median | trials |", "|---|---|---|"])
        for key, value in result["median"].items():
            lines.append(f"| {key} | {fmt(value)} | {' · '.join(fmt(trial[key]) for trial in result['trials'])} |")
        lines.append("")

    if "queue" in results:
        for workers, result in sorted(results["queue"].items()):
            details(f"Queue machinery, {plural(workers, 'worker process', 'worker processes')}", result,
                    f"{settings.queue_rows:,} seed rows, `fcsynth-worker --simulate --concurrency {settings.queue_concurrency}`. "
                    "`tasks` is the sum of `done` over the stages; the wall time runs from the first claim to the last item "
                    "finished. `commands_per_task` counts every Redis command, those the Lua scripts run included "
                    "(INFO `total_commands_processed`, less the benchmark's own polling); `scripts_per_task` counts "
                    "EVALSHA calls, that is the claim and hand-off round trips; `redis_kb_per_task` is the bytes Redis "
                    "received and sent per task; the CPU figures are user + system time per task.")
    if "llm" in results:
        for sigma, result in sorted(results["llm"].items()):
            details(f"LLM-bound, σ {sigma}", result,
                    f"{dict(settings.llm_cases)[sigma]} seed rows, {settings.llm_workers} workers × {settings.llm_concurrency} "
                    f"against `fcsynth simulator --latency-ms 200 --latency lognormal --latency-sigma {sigma}`. "
                    "`utilisation` is the simulator's sum of latencies / (calls in flight × wall). "
                    "ideal = sum of the simulated latencies / calls in flight + the longest chain × 200 ms. The chain of a "
                    "conversation is counted from its raw export: 5 calls before the conversation stage (scenario, atomic "
                    "task, composition, filter, functions) plus one per user, assistant and tool message, each of which is "
                    "one agent call; `output_chain_calls` (their sum) plus the calls of filtered items equals `requests` "
                    "when nothing was retried. CPU per call is the workers' user + system time / the simulator's requests. "
                    "Tokens are the run's prompt + completion tokens / conversations kept. The `share_` rows split "
                    "slots × wall from the workers' `--slot-trace` timelines: `call` (an LLM call in flight), `start` "
                    "(idle before the calls in flight first peak), `tail` (idle after the last item started: the input "
                    "ran out), and between them `stage` (a task's own work outside its calls), `handoff` (finished, "
                    "hand-off not yet written), `claim_trip` (slot free, a claim out) and `claim_wait` (slot free, no "
                    "claim out); `gap_ms_per_call` is those four between start and tail per call.")
    if "concurrency" in results:
        for concurrency, result in sorted(results["concurrency"].items()):
            details(f"{concurrency:,} calls in flight", result,
                    f"One worker, `--concurrency {concurrency}`, simulator latency fixed at 1,000 ms; rates over a "
                    f"{settings.concurrency_window:.0f} s window after {settings.concurrency_warmup:.0f} s of warm-up. "
                    "The ideal is concurrency / 1 s.")
    if "enqueue" in results:
        details("Enqueue", results["enqueue"],
                f"`fcsynth enqueue` of {settings.scale_rows:,} JSON Lines rows shaped like the seeds (a 260 to 440 "
                "character window of a seed chat, and an id). Memory is Redis `used_memory` after minus before, "
                "per row; `task_entry_bytes` is the mean size of a queued task envelope.")
    if "export" in results:
        details("Export", results["export"],
                f"{settings.export_conversations:,} copies of one real raw record (from a simulated run) XADDed into a "
                "run's stream, then `fcsynth export --format openai` to a file.")
    return "\n".join(lines)


def write_document(path, body):
    generated = f"{MARK_BEGIN}\n{body}\n{MARK_END}"
    if os.path.exists(path):
        with open(path) as text:
            document = text.read()
        if MARK_BEGIN in document and MARK_END in document:
            head, rest = document.split(MARK_BEGIN, 1)
            document = head + generated + rest.split(MARK_END, 1)[1]
        else:
            document = document.rstrip() + "\n\n## Latest figures\n\n" + generated + "\n"
    else:
        document = "# Performance\n\n## Latest figures\n\n" + generated + "\n"
    with open(path, "w") as out:
        out.write(document)


def parse(argv):
    parser = argparse.ArgumentParser(prog="scripts/bench", description="fcsynth's benchmarks.")
    parser.add_argument("--bin", required=True, help=argparse.SUPPRESS)
    parser.add_argument("--root", required=True, help=argparse.SUPPRESS)
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="queue,llm,enqueue,export,concurrency")
    parser.add_argument("--output")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--command", default="./scripts/bench")
    parser.add_argument("--worker-args", default="",
                        help="extra fcsynth-worker flags for the LLM-bound runs, e.g. '--claim-order later'")
    settings = parser.parse_args(argv)
    settings.only = set(settings.only.split(","))
    unknown = settings.only - {"queue", "llm", "enqueue", "export", "concurrency"}
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    quick = settings.quick
    if quick:
        settings.trials = 1
    settings.queue_rows = 200 if quick else 2_000
    settings.queue_workers = (1, 2) if quick else (1, 2, 4)
    settings.queue_concurrency = 256
    # (lognormal sigma, rows): 0.5 as before; 1.0 for a heavy-tailed endpoint, on more rows.
    settings.llm_cases = ((1.0, 64),) if quick else ((0.5, 200), (1.0, 600))
    settings.llm_workers, settings.llm_concurrency = 2, 32
    settings.scale_rows = 100_000 if quick else 1_000_000
    settings.export_conversations = 10_000 if quick else 100_000
    settings.concurrency_levels = (1000,) if quick else (1000, 4000)
    settings.concurrency_warmup = 2.0 if quick else 3.0
    settings.concurrency_window = 4.0 if quick else 10.0
    settings.output = settings.output or (None if quick or settings.no_write else os.path.join(settings.root, "docs", "performance.md"))
    return settings


def main(argv):
    settings = parse(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, 20_000), hard), hard))
    started = datetime.datetime.now(datetime.timezone.utc)
    scratch = tempfile.mkdtemp(prefix="fcsynth-bench-")
    atexit.register(shutil.rmtree, scratch, True)
    context = Context()
    context.root, context.scratch = settings.root, scratch
    context.redis_process, context.redis_port = start_redis(scratch)
    context.redis = Redis(context.redis_port)
    context.fcsynth = Fcsynth(settings.bin, scratch, context.redis_port)
    results = {}
    print(f"scratch folder {scratch}; redis on port {context.redis_port}", flush=True)

    if "queue" in settings.only:
        rows = write_seed_copies(settings.root, os.path.join(scratch, "queue.jsonl"), settings.queue_rows)
        results["queue"] = {}
        for workers in settings.queue_workers:
            results["queue"][workers] = repeat(f"queue ×{workers}", settings.trials, lambda: bench_queue(
                context, workers, rows, settings.queue_rows, settings.queue_concurrency))

    if "llm" in settings.only:
        results["llm"] = {}
        for sigma, llm_rows in settings.llm_cases:
            rows = write_seed_copies(settings.root, os.path.join(scratch, f"llm-{llm_rows}.jsonl"), llm_rows)
            simulator = Simulator(context.fcsynth, "--latency-ms", "200", "--latency", "lognormal",
                                  "--latency-sigma", str(sigma), "--seed", "7")
            results["llm"][sigma] = repeat(f"llm-bound σ {sigma}", settings.trials, lambda: bench_llm(
                context, simulator, rows, llm_rows, settings.llm_workers, settings.llm_concurrency, 0.2,
                shlex.split(settings.worker_args)))
            PROCESSES.stop(simulator.process)

    if "enqueue" in settings.only:
        rows = write_scale_rows(settings.root, os.path.join(scratch, "scale.jsonl"), settings.scale_rows)
        results["enqueue"] = repeat("enqueue", settings.trials, lambda: bench_enqueue(context, rows, settings.scale_rows))
        os.remove(rows)

    if "export" in settings.only:
        record = sample_record(context)
        results["export"] = repeat("export", settings.trials, lambda: bench_export(context, record, settings.export_conversations))

    if "concurrency" in settings.only:
        simulator = Simulator(context.fcsynth, "--latency-ms", "1000")
        results["concurrency"] = {}
        for concurrency in settings.concurrency_levels:
            rows = write_seed_copies(settings.root, os.path.join(scratch, f"wide-{concurrency}.jsonl"), concurrency * 3 // 2)
            results["concurrency"][concurrency] = repeat(f"{concurrency} in flight", settings.trials, lambda: bench_concurrency(
                context, simulator, rows, concurrency, settings.concurrency_warmup, settings.concurrency_window))
        PROCESSES.stop(simulator.process)

    elapsed = datetime.datetime.now(datetime.timezone.utc) - started
    body = report(results, settings, settings.command, started) + f"\nThe whole run took {elapsed.total_seconds() / 60:.1f} minutes.\n"
    print()
    print(body)
    if settings.output:
        write_document(settings.output, body)
        print(f"\nwrote {settings.output}")


if __name__ == "__main__":
    main(sys.argv[1:])
