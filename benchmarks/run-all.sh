#!/bin/sh
# Runs the normforge JMH suite, then the peer anchors (STREAM, oneDNN, PyTorch) one after another, and
# writes results/SUMMARY.md (one table of speedups and %STREAM) and results/gbps.png.
#
#   benchmarks/run-all.sh                 standard run (~40 min: 168 JMH runs + peers; run on an otherwise idle machine)
#   NF_FULL=1 benchmarks/run-all.sh       every shape x impl with the classes' longer settings (~75 min + peers)
#   NF_QUICK=1 benchmarks/run-all.sh      smoke run: short JMH on the cache-resident shapes, small peers
#
# Environment:
#   NF_QUICK=1         quick mode (above)
#   NF_AVX2=1          the JMH suite again with 256-bit vectors (-XX:UseAVX=2: 8 float lanes on an AVX-512 CPU),
#                      into results/avx2/ (no peers: the report takes STREAM and the peers from results/;
#                      combine with NF_JMH_ARGS="-p impl=normforge -p threads=1" for the ~10 min subset committed
#                      as results/SUMMARY-avx2.md)
#   NF_SKIP_PEERS=1    JMH only (the report then has no peer columns)
#   NF_JMH_ARGS=...    extra JMH arguments, e.g. "-p impl=normforge LayerNormBench"
#   ANCHORS=dir        the peer programs (default: ../shared/anchors next to the repository)
#   JAVA=path          a JDK 25+ java (default: found under /usr/lib/jvm)
# Peers run from a copy under results/anchors, so their outputs land there, not in the shared folder.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RES=$ROOT/benchmarks/results
AVX2=${NF_AVX2:-0}
JVM_PREPEND=""
if [ "$AVX2" = 1 ]; then
  RES=$RES/avx2
  JVM_PREPEND="-XX:UseAVX=2"  # prepended: the classes' @Fork(jvmArgsAppend) stays in force
  NF_SKIP_PEERS=1
fi
QUICK=${NF_QUICK:-0}
ANCHORS=${ANCHORS:-$ROOT/../shared/anchors}
mkdir -p "$RES"

need_pkgs() {  # apt packages the peers need, installed only when missing
  missing=""
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    echo "installing:$missing"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -q && $SUDO DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
  fi
}

find_java() {
  if [ -n "${JAVA:-}" ]; then echo "$JAVA"; return; fi
  for j in ${JAVA_HOME:+$JAVA_HOME/bin/java} /usr/lib/jvm/*/bin/java; do
    v=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null && { echo "$j"; return; }
  done
  echo "no JDK 25+ found: set JAVA" >&2; exit 1
}

echo "== build"
mvn -q -DskipTests package
JAVA=$(find_java)
lscpu > "$RES/lscpu.txt"

echo "== JMH ($JAVA)"
jmh() {  # jmh NAME OPTIONS...: one JMH invocation, results in jmh-NAME.json (report.py reads every jmh*.json)
  name=$1; shift
  # shellcheck disable=SC2086
  "$JAVA" --add-modules=jdk.incubator.vector -jar benchmarks/target/benchmarks.jar \
    ${JVM_PREPEND:+-jvmArgsPrepend "$JVM_PREPEND"} "$@" ${NF_JMH_ARGS:-} -rf json -rff "$RES/jmh-$name.json" \
    | tee "$RES/jmh-$name.txt"
}
rm -f "$RES"/jmh*.json
if [ "$QUICK" = 1 ]; then
  jmh quick -f 1 -wi 3 -i 2 -w 1s -r 1s -p shape=768x340,4096x64
elif [ "${NF_FULL:-0}" = 1 ]; then
  jmh full  # the classes' own settings: every shape and impl, 5 x 1 s warm-up, 5 x 1 s measurement (~75 min)
else
  # the standard run (~25 min of JMH): every implementation on the cache-resident shapes, where the
  # baselines are compared; normforge alone on the memory-bound shapes, where the peers and STREAM are
  jmh cache -wi 3 -i 4 -w 1s -r 1s -p shape=768x340,4096x64
  jmh memory -wi 3 -i 4 -w 1s -r 1s -p shape=768x87040,4096x16384 -p impl=normforge
fi

if [ "${NF_SKIP_PEERS:-0}" != 1 ]; then
  if [ ! -d "$ANCHORS" ]; then
    echo "no peer anchors at $ANCHORS (set ANCHORS): skipping peers" >&2
  else
    need_pkgs gcc g++ binutils libdnnl-dev python3-torch libjemalloc2 python3-matplotlib
    rm -rf "$RES/anchors"; mkdir -p "$RES/anchors"
    cp -r "$ANCHORS/stream" "$ANCHORS/onednn" "$ANCHORS/torch" "$RES/anchors/"
    A=$RES/anchors
    if [ "$QUICK" = 1 ]; then
      echo "== peers (quick)"
      mkdir -p "$A/results"
      (cd "$A/stream" && gcc -O3 -march=native -fopenmp stream.c -o stream &&
        for t in 1 2; do OMP_NUM_THREADS=$t OMP_PROC_BIND=true ./stream 20000000 5; done > ../results/stream_main.txt)
      (cd "$A/onednn" && g++ -O2 -std=c++17 bench_dnnl.cpp -o bench_dnnl -ldnnl &&
        OMP_NUM_THREADS=1 ./bench_dnnl > ../results/onednn_t1.jsonl)
      (cd "$A/torch" && MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1 LD_PRELOAD=libjemalloc.so.2 \
        /usr/bin/python3 bench_torch.py --threads 1 --shapes 768x340,4096x64 > ../results/torch_t1.jsonl)
    else
      echo "== STREAM"; sh "$A/stream/run.sh"
      echo "== oneDNN"; sh "$A/onednn/run.sh"
      echo "== PyTorch"; sh "$A/torch/run.sh"
    fi
  fi
fi

if [ "$AVX2" = 1 ] && [ -d "$RES/../anchors" ]; then
  rm -rf "$RES/anchors"; ln -s ../anchors "$RES/anchors"  # STREAM and the peers of the last full run
fi
echo "== report"
RESULTS=$RES /usr/bin/python3 benchmarks/report.py
echo "wrote $RES/SUMMARY.md and $RES/gbps.png"
