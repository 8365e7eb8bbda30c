#!/usr/bin/python3
"""Turn one run of benchmarks/run-all.sh into results/SUMMARY.md (one table) and results/gbps.png.

Inputs (all optional but the JMH file):
  results/jmh*.json                    JMH JSON of LayerNormBench, RmsNormBench, BatchNormBench, AddLayerNormBench,
                                       MemoryCeilingBench (Java's own copy/add ceiling per shape and thread count)
  results/anchors/results/*.jsonl      peers: oneDNN, PyTorch (one JSON object per line; median_s per call)
  results/anchors/results/stream_main.txt   STREAM copy/add medians for 1 and 2 threads

Speedup = peer time / normforge time (> 1: normforge faster). Effective GB/s counts the minimum bytes per
element: fwd 8, bwd 12, fwd+bwd 20 (LayerNorm, RMSNorm, BatchNorm), add+LN fwd 16, add+LN bwd 12, add+LN
fwd+bwd 28 (add+LN bwd: read s and dy, write ds; normforge's addNormBackward also writes dx = alpha*ds, 16 B,
which PyTorch does not need for alpha 1: its gradients of x and f are the same tensor). %STREAM = the time those bytes take at
the STREAM medians of the same thread count ('copy' for 1-input traffic, 'add' for 2-input) / measured
time; on cache-resident shapes it can exceed 100 %. %Java is the same with MemoryCeilingBench's Java copy/add
(Vector API, same shape, same chunks and pool, same run) in place of STREAM: what Java, without non-temporal
stores, reaches on that traffic. For BatchNorm, %Java is against readCopy / read2Add instead: Java's time for
the least traffic its algorithm allows (the batch statistics need every row read before any output is written).

Threads: JMH's `threads` parameter (RowParallel.shared()) is matched with the peers' thread count (oneDNN:
OMP_NUM_THREADS, recorded by bench_dnnl as "threads"; PyTorch: --threads). BatchNorm peers: oneDNN is taken
only in its nhwc layout (the JIT kernel; the plain 2-D 'ab' layout gets the reference ncsp kernel, ~10x slower),
PyTorch is BatchNorm1d in training mode (batch statistics, as BatchNormBench.fwd). A normforge op whose runtime
does not run on RowParallel yet is timed on one core in its thr=2 rows, against two-thread peers.
"""
import glob
import json
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.environ.get("RESULTS", os.path.join(HERE, "results"))
ANCHORS = os.path.join(RES, "anchors", "results")

# op -> [(bytes per element, STREAM kernel)], as /work/shared/anchors/summarize.py
TRAFFIC = {
    "ln_fwd": [(8, "copy")], "rms_fwd": [(8, "copy")], "bn_fwd": [(8, "copy")],
    "ln_bwd": [(12, "add")], "rms_bwd": [(12, "add")], "bn_bwd": [(12, "add")],
    "ln_fwdbwd": [(8, "copy"), (12, "add")], "rms_fwdbwd": [(8, "copy"), (12, "add")],
    "bn_fwdbwd": [(8, "copy"), (12, "add")],
    "addln_fwd": [(16, "copy")], "addln_bwd": [(12, "add")], "addln_fwdbwd": [(16, "copy"), (12, "add")],
}
# JMH benchmark class -> op prefix; method (fwd, bwd, fwdbwd) is the suffix. New op classes go here.
JMH_CLASSES = {"LayerNormBench": "ln", "RmsNormBench": "rms", "BatchNormBench": "bn", "AddLayerNormBench": "addln",
               "MemoryCeilingBench": "java", "RowWorkBench": "row"}
# RowWorkBench's kernels: a forward's bytes with more work per streamed vector (see its javadoc)
ROW_WORK = {"scale": "y = x·w[j]", "twoPass": "Σx², then y = x·r·w[j]", "affine": "y = (x - a[j])·b[j] + c[j]"}
# MemoryCeilingBench's methods and the bytes per element each moves (copy and add as STREAM's kernels of the
# same name; readCopy and read2Add read their inputs twice, a sweep of the whole batch before the map)
JAVA_CEILING = {"copy": 8, "add": 12, "readCopy": 12, "read2Add": 20}
# op -> its traffic in MemoryCeilingBench's kernels: TRAFFIC's, but BatchNorm's statistics span the batch, so
# it reads every row before it writes one (%Java sets it beside Java's time for that least traffic)
JAVA_TRAFFIC = dict(TRAFFIC, bn_fwd=[(12, "readCopy")], bn_bwd=[(20, "read2Add")],
                    bn_fwdbwd=[(12, "readCopy"), (20, "read2Add")])
OURS = "normforge"
# peer families: label -> predicate on the impl name in the anchors' JSON lines (best variant is taken)
PEERS = {"oneDNN": lambda i: i.startswith("onednn"), "PyTorch": lambda i: i.startswith("torch")}
BASELINES = ["vector-dynamic", "scalar"]


def load_jmh():
    recs = []
    for path in sorted(glob.glob(os.path.join(RES, "jmh*.json"))):
        try:
            entries = json.load(open(path))
        except ValueError:
            print(f"skipping unreadable {path}", file=sys.stderr)
            continue
        for e in entries:
            cls, meth = e["benchmark"].rsplit(".", 2)[-2:]
            if cls not in JMH_CLASSES:
                continue
            p = e["params"]
            D, R = map(int, p["shape"].split("x"))
            raw = [v for fork in e["primaryMetric"]["rawData"] for v in fork]
            assert e["primaryMetric"]["scoreUnit"] == "us/op"
            recs.append(dict(impl=p.get("impl", "java"), op=f"{JMH_CLASSES[cls]}_{meth}", D=D, rows=R,
                             threads=int(p["threads"]), median_s=statistics.median(raw) * 1e-6))
    return recs


def load_peers():
    recs = []
    for path in sorted(glob.glob(os.path.join(ANCHORS, "*.jsonl"))):
        for line in open(path):
            if line.startswith("{"):
                r = json.loads(line)
                if r["impl"].startswith("onednn") and r["op"].startswith("bn_"):
                    # oneDNN BN is compared in nhwc (its JIT kernel, same bytes as [rows, D]); the 2-D 'ab'
                    # rows (reference ncsp_bnorm) are left out, as summarize.py labels them onednn*-nc
                    if not r["op"].startswith("bn_nhwc_"):
                        continue
                    r["op"] = r["op"].replace("bn_nhwc_", "bn_")
                    r["impl"] += "-nhwc"
                recs.append(r)
    return recs


def load_stream():
    bw, t = {}, None
    path = os.path.join(ANCHORS, "stream_main.txt")
    if os.path.exists(path):
        for line in open(path):
            m = re.match(r"threads=(\d+)", line)
            if m:
                t = int(m.group(1))
            m = re.match(r"(copy|scale|add|triad)\s+([\d.]+)\s+([\d.]+)", line)
            if m and t:
                bw[(t, m.group(1))] = float(m.group(3))  # median GB/s
    return bw


def java_ceiling(recs):
    """(D, rows, threads, kernel) -> GB/s of MemoryCeilingBench's Java kernel (copy, add, readCopy, read2Add)."""
    return {(r["D"], r["rows"], r["threads"], r["op"][len("java_"):]):
            JAVA_CEILING[r["op"][len("java_"):]] * r["D"] * r["rows"] / r["median_s"] / 1e9
            for r in recs if r["impl"] == "java" and r["op"].startswith("java_")}


def best(recs, pred, key):
    ts = [r["median_s"] for r in recs if pred(r["impl"]) and (r["op"], r["D"], r["rows"], r["threads"]) == key]
    return min(ts) if ts else None


def fmt_time(s):
    return f"{s * 1e3:.2f} ms" if s >= 1e-3 else f"{s * 1e6:.1f} us"


def main():
    ours_all = load_jmh()
    if not ours_all:
        sys.exit(f"no JMH results in {RES}")
    peers, bw, jbw = load_peers(), load_stream(), java_ceiling(ours_all)
    recs = ours_all + peers
    keys = sorted({(r["op"], r["D"], r["rows"], r["threads"]) for r in ours_all if r["impl"] == OURS},
                  key=lambda k: (list(TRAFFIC).index(k[0]), k[2] > 1000, k[1], k[3]))
    cols = ["op", "shape", "thr", "normforge", "ns/row", "GB/s", "%STREAM", "%Java"] + \
        [f"x {b}" for b in BASELINES] + [f"x {p}" for p in PEERS]
    out = ["# normforge benchmarks: summary (generated by benchmarks/report.py)", ""]
    if bw:
        out.append("STREAM medians (GB/s): " + "; ".join(
            f"{t} thr: copy {bw.get((t, 'copy'), 0):.1f}, add {bw.get((t, 'add'), 0):.1f}" for t in (1, 2)))
        out.append("")
    if jbw:
        out.append("Java ceiling, MemoryCeilingBench (GB/s, copy / add / readCopy / read2Add): " + "; ".join(
            f"{D}x{R} {t} thr: " + " / ".join(f"{jbw.get((D, R, t, k), 0):.1f}" for k in JAVA_CEILING)
            for D, R, t in sorted({k[:3] for k in jbw}, key=lambda k: (k[1] > 1000, k[0], k[2]))))
        out.append("")
    out.append("normforge = the generated class. `x impl` = that implementation's time / normforge's time "
               "(> 1: normforge faster); peers take their best variant. vector-dynamic = same Vector API "
               "algorithm with the size known only at run time (LayerNorm, RMSNorm only); scalar = plain float "
               "loops. bn = BatchNorm (training forward; oneDNN in nhwc layout, PyTorch BatchNorm1d train); "
               "addln = fused residual add + LayerNorm (PostNormBlock.addNormForward/addNormBackward). GB/s counts "
               "minimum bytes (fwd 8, bwd 12, fwd+bwd 20 B/elem; addln fwd 16, bwd 12, fwd+bwd 28); %STREAM = "
               "STREAM-derived time floor / time (can exceed 100 % on the ~1 MiB cache-resident shapes); %Java = "
               "the same with MemoryCeilingBench's Java kernels, for BatchNorm its least traffic (readCopy, "
               "read2Add: every row read before any is written). "
               "thr = threads given to RowParallel.shared() / to the peers; an op whose normforge runtime does not "
               "use RowParallel yet runs on one core in its thr=2 rows.")
    out.append("")
    out.append("| " + " | ".join(cols) + " |")
    out.append("|---" * len(cols) + "|")
    for key in keys:
        op, D, R, t = key
        ours = best(ours_all, lambda i: i == OURS, key)
        nbytes = sum(b for b, _ in TRAFFIC[op]) * D * R
        ceil = ""
        if all((t, k) in bw for _, k in TRAFFIC[op]):
            floor = sum(b * D * R / (bw[(t, k)] * 1e9) for b, k in TRAFFIC[op])
            ceil = f"{100 * floor / ours:.0f}%"
        jceil = ""
        if all((D, R, t, k) in jbw for _, k in JAVA_TRAFFIC[op]):
            jceil = f"{100 * sum(b * D * R / (jbw[(D, R, t, k)] * 1e9) for b, k in JAVA_TRAFFIC[op]) / ours:.0f}%"
        cells = [op, f"{D}x{R}", str(t), fmt_time(ours), f"{ours * 1e9 / R:.0f}", f"{nbytes / ours / 1e9:.1f}", ceil, jceil]
        for b in BASELINES:
            o = best(ours_all, lambda i, b=b: i == b, key)
            cells.append(f"{o / ours:.2f}" if o else "")
        for p in PEERS.values():
            o = best(peers, p, key)
            cells.append(f"{o / ours:.2f}" if o else "")
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out += rms_vs_ln(ours_all)
    out += row_work(ours_all)
    text = "\n".join(out) + "\n"
    open(os.path.join(RES, "SUMMARY.md"), "w").write(text)
    sys.stdout.write(text)
    plot(recs, keys)


def rms_vs_ln(ours_all):
    """The RMSNorm paper's claim (7-64 % less time than LayerNorm): our RMS time / LN time, per shape."""
    rows = []
    for D, R, t in sorted({(r["D"], r["rows"], r["threads"]) for r in ours_all if r["impl"] == OURS},
                          key=lambda k: (k[1] > 1000, k[0], k[2])):
        cells = []
        for op in ("fwd", "bwd", "fwdbwd"):
            rms = best(ours_all, lambda i: i == OURS, (f"rms_{op}", D, R, t))
            ln = best(ours_all, lambda i: i == OURS, (f"ln_{op}", D, R, t))
            cells.append(f"{rms / ln:.2f}" if rms and ln else "")
        if any(cells):
            rows.append(f"| {D}x{R} | {t} | " + " | ".join(cells) + " |")
    if not rows:
        return []
    return ["RMSNorm time / LayerNorm time (normforge, same run; < 1: RMSNorm faster):", "",
            "| shape | thr | fwd | bwd | fwd+bwd |", "|---|---|---|---|---|"] + rows + [""]


def row_work(ours_all):
    """RowWorkBench's kernels beside its row-by-row copy: time / copy's time, per shape and thread count."""
    rows = []
    for D, R, t in sorted({(r["D"], r["rows"], r["threads"]) for r in ours_all if r["op"].startswith("row_")},
                          key=lambda k: (k[1] > 1000, k[0], k[2])):
        copy = best(ours_all, lambda i: i == "java", ("row_copy", D, R, t))
        if not copy:
            continue
        cells = []
        for m in ROW_WORK:
            w = best(ours_all, lambda i: i == "java", (f"row_{m}", D, R, t))
            cells.append(f"{fmt_time(w)} ({w / copy:.2f})" if w else "")
        rows.append(f"| {D}x{R} | {t} | {fmt_time(copy)} | " + " | ".join(cells) + " |")
    if not rows:
        return []
    return ["What one core reaches with more work per streamed vector (RowWorkBench; the same bytes as a forward, "
            "row by row; in parentheses: time / copy's time):", "",
            "| shape | thr | copy y = a·x + b | " + " | ".join(f"{m}: {f}" for m, f in ROW_WORK.items()) + " |",
            "|---" * (3 + len(ROW_WORK)) + "|"] + rows + [""]


def plot(recs, keys):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing: no plot", file=sys.stderr)
        return
    impls = [OURS] + BASELINES + list(PEERS)
    preds = {OURS: lambda i: i == OURS, **{b: (lambda i, b=b: i == b) for b in BASELINES}, **PEERS}
    shapes = sorted({(D, R) for _, D, R, _ in keys}, key=lambda s: (s[1] > 1000, s[0]))
    threads = sorted({t for *_, t in keys})
    nops = len({k[0] for k in keys})
    fig, axes = plt.subplots(len(shapes), len(threads), figsize=(max(7, 0.7 * nops) * len(threads), 3.2 * len(shapes)),
                             squeeze=False)
    for si, (D, R) in enumerate(shapes):
        for ti, t in enumerate(threads):
            ax = axes[si][ti]
            ops = [op for op in TRAFFIC if (op, D, R, t) in keys]
            w = 0.8 / len(impls)
            for k, impl in enumerate(impls):
                ys = []
                for op in ops:
                    s = best(recs, preds[impl], (op, D, R, t))
                    ys.append(sum(b for b, _ in TRAFFIC[op]) * D * R / s / 1e9 if s else 0)
                ax.bar([i + k * w for i in range(len(ops))], ys, w, label=impl)
            ax.set_xticks([i + 0.4 - w / 2 for i in range(len(ops))], ops, fontsize=7, rotation=30)
            ax.set_title(f"D={D} rows={R}, {t} thread{'s' if t > 1 else ''}", fontsize=9)
            ax.set_ylabel("effective GB/s", fontsize=8)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=len(impls), fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.4 / (3.2 * len(shapes))))  # 0.4 in for the legend
    fig.savefig(os.path.join(RES, "gbps.png"), dpi=110)


if __name__ == "__main__":
    main()
