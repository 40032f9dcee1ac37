"""`make bench`: in-process speed on one core, cold start, RSS, the lemmatisation reference, spaCy's
lemmatizer baseline, a pyinstrument profile, and HTTP with wrk against the framework's no-op ceiling.

Prints a summary and writes bench/RESULTS.md (the `make load` section, if any, is kept).

    python bench/bench.py [--http-seconds 9] [--no-http] [--no-spacy] [--no-profile]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import (
    PY,
    RESULTS,
    ROOT,
    Server,
    bodies_file,
    have_wrk,
    load_ads,
    machine,
    median_ads,
    rss_mb,
    wrk,
)

LOAD_MARKER = "<!-- make load -->"


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q / 100 * (len(s) - 1))))]


def _pin_one_core() -> None:
    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    except (AttributeError, OSError):
        pass


def _child(mode: str, *args: str, timeout: float = 900) -> dict:
    out = subprocess.run([PY, __file__, "--child", mode, *args], cwd=ROOT, capture_output=True, text=True,
                         timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"{mode} failed: {out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- children (each in a fresh process) --------------------------------------------------------------

def child_cold() -> dict:
    t0 = time.perf_counter()
    from service.pipeline import default_pipeline
    t1 = time.perf_counter()
    p = default_pipeline()
    t2 = time.perf_counter()
    p.classify("Специалист технической поддержки", "Обработка заявок пользователей, опыт от 1 года, удалённо.")
    t3 = time.perf_counter()
    return {"import_s": t1 - t0, "load_s": t2 - t1, "first_s": t3 - t2, "total_s": t3 - t0, "rss_mb": rss_mb()}


def child_inproc() -> dict:
    _pin_one_core()
    from service.document import tokenize
    from service.lemmas import Lemmatizer
    from service.pipeline import default_pipeline

    p = default_pipeline()
    rss_loaded = rss_mb()
    ads = load_ads()
    med = median_ads(ads)
    rss_ads = rss_mb()
    classify = p.classify

    def run(batch: list[dict], latencies: list[float] | None = None) -> float:
        t0 = time.perf_counter()
        for a in batch:
            s = time.perf_counter()
            classify(a["title"], a["description"], id=a["id"])
            if latencies is not None:
                latencies.append(time.perf_counter() - s)
        return time.perf_counter() - t0

    out: dict = {"n_all": len(ads), "n_median": len(med),
                 "median_chars": statistics.median(len(a["title"]) + len(a["description"]) for a in med)}
    out["median_first_ads_s"] = len(med) / run(med)  # lemma cache cold
    lat: list[float] = []
    out["median_ads_s"] = len(med) / run(med, lat)
    out["median_p50_ms"], out["median_p99_ms"] = pct(lat, 50) * 1e3, pct(lat, 99) * 1e3
    out["all_first_ads_s"] = len(ads) / run(ads)
    lat_all: list[float] = []
    out["all_ads_s"] = len(ads) / run(ads, lat_all)
    out["all_p50_ms"], out["all_p99_ms"] = pct(lat_all, 50) * 1e3, pct(lat_all, 99) * 1e3
    out["rss_loaded_mb"], out["rss_ads_mb"], out["rss_end_mb"] = rss_loaded, rss_ads, rss_mb()
    out["lemma_cache_words"] = len(p.lemmatizer.cache)

    # Reference: read + tokenize + cached pymorphy3 lemma, same texts, same (warm) lemmatizer.
    texts_med = [a["title"] + "\n\n" + a["description"] for a in med]
    texts_all = [a["title"] + "\n\n" + a["description"] for a in ads]

    def lemmatise(texts: list[str], lemma) -> tuple[float, int]:
        words = 0
        t0 = time.perf_counter()
        for text in texts:
            lemmas = [lemma(t) for t, _, _ in tokenize(text)]
            words += len(lemmas)
        return time.perf_counter() - t0, words

    secs, words = lemmatise(texts_med, p.lemmatizer.lemma)
    out["lemma_median_ads_s"], out["median_words_per_ad"] = len(med) / secs, words / len(med)
    out["lemma_words_s"] = words / secs
    secs, words = lemmatise(texts_all, p.lemmatizer.lemma)
    out["lemma_all_ads_s"] = len(ads) / secs
    fresh = Lemmatizer()
    secs, _ = lemmatise(texts_all, fresh.lemma)
    out["lemma_all_first_ads_s"] = len(ads) / secs
    return out


def child_spacy(n: str) -> dict:
    _pin_one_core()
    t0 = time.perf_counter()
    import spacy

    nlp = spacy.blank("ru")
    nlp.add_pipe("lemmatizer", config={"mode": "pymorphy3"})
    nlp.initialize()
    load = time.perf_counter() - t0
    med = median_ads(load_ads())[: int(n)]
    texts = [a["title"] + "\n\n" + a["description"] for a in med]
    t0 = time.perf_counter()
    words = sum(len(doc) for doc in nlp.pipe(texts))
    secs = time.perf_counter() - t0
    return {"n": len(texts), "ads_s": len(texts) / secs, "words_s": words / secs, "load_s": load,
            "rss_mb": rss_mb(), "version": spacy.__version__}


def child_profile(n: str) -> dict:
    _pin_one_core()
    from pyinstrument import Profiler

    from service.pipeline import default_pipeline

    p = default_pipeline()
    ads = load_ads()
    med = median_ads(ads)
    for a in med:  # warm the lemma cache: profile the steady state
        p.classify(a["title"], a["description"])
    sample = med[: int(n)]
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(3):
        for a in sample:
            p.classify(a["title"], a["description"])
    session = profiler.stop()
    root = session.root_frame()
    total = root.time
    inclusive: dict[str, float] = {}
    own: dict[str, float] = {}

    def key(f) -> str:
        path = f.file_path or ""
        short = path.split("/site-packages/")[-1] if "site-packages" in path else path.replace(str(ROOT) + "/", "")
        return f"{f.function} ({short}:{f.line_no})"

    def walk(f, stack: frozenset) -> None:
        if f.is_synthetic:
            return
        k = key(f)
        if k not in stack:
            inclusive[k] = inclusive.get(k, 0.0) + f.time
        child_time = sum(c.time for c in f.children if not c.is_synthetic)
        own[k] = own.get(k, 0.0) + f.time - child_time
        for c in f.children:
            walk(c, stack | {k})

    walk(root, frozenset())
    top_incl = sorted(((k, v / total * 100) for k, v in inclusive.items()
                       if "service/" in k and "classify" not in k), key=lambda x: -x[1])[:15]
    top_self = sorted(((k, v / total * 100) for k, v in own.items()), key=lambda x: -x[1])[:15]
    return {"n": len(sample) * 3, "seconds": total, "inclusive": top_incl, "self": top_self}


# --- parent ------------------------------------------------------------------------------------------

def http(seconds: float, rounds_per: int = 3) -> dict:
    ads = median_ads(load_ads())
    runs = []
    server_rss: dict[int, list] = {}
    with bodies_file(ads) as bodies:
        for workers in (1, 2):
            with Server(workers) as srv:
                srv.wait_ready()
                wrk(srv.url + "/v1/classify", bodies, 16, max(3, seconds / 2))  # warm caches, JIT-free but still
                for conc in (1, 16, 64):
                    # the host's speed drifts by tens of percent within a minute: noop and classify alternate in
                    # short rounds, and the ratio is the median of the rounds' own ratios
                    rounds: dict[str, list[dict]] = {"/v1/noop": [], "/v1/classify": []}
                    for _ in range(rounds_per):
                        for endpoint in rounds:
                            rounds[endpoint].append(wrk(srv.url + endpoint, bodies, conc, seconds / rounds_per))
                    ratios = [c["rps"] / n["rps"] for c, n in zip(rounds["/v1/classify"], rounds["/v1/noop"])]
                    for endpoint, rs in rounds.items():
                        r = {k: statistics.median(x[k] for x in rs) for k in ("rps", "p50_ms", "p99_ms")}
                        r.update(errors=sum(x["errors"] for x in rs), workers=workers, endpoint=endpoint,
                                 concurrency=conc, rounds=[round(x["rps"]) for x in rs])
                        if endpoint == "/v1/classify":
                            r["ratio"], r["ratios"] = statistics.median(ratios), [round(x, 2) for x in ratios]
                        runs.append(r)
                        print(f"  {workers}w {endpoint:13} c={conc:<3} {r['rps']:8.0f} rps  p50 {r['p50_ms']:6.2f} ms"
                              f"  p99 {r['p99_ms']:6.2f} ms  errors {r['errors']}  rounds {r['rounds']}", flush=True)
                server_rss[workers] = [rss_mb(pid) for pid in srv.worker_pids()]
                errs = srv.errors_in_log()
                if errs:
                    print("  server logged errors:", *errs[:5], sep="\n    ")
    return {"runs": runs, "worker_rss_mb": server_rss, "body_chars": statistics.median(
        len(json.dumps(a, ensure_ascii=False).encode()) for a in ads)}


def fmt_table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def report(m: dict, cold: list[dict], inproc: dict, sp: dict | None, prof: dict | None, h: dict | None) -> str:
    c = {k: statistics.median(x[k] for x in cold) for k in cold[0]}
    out = [f"# vactag benchmark\n\n`make bench` on {m['date']}: {m['nproc']} cores, {m['cpu']}, Python {m['python']} "
           f"({m['platform']}).\n"]
    out.append("## In-process, one core (full pipeline: normalise, lemmatise, rules, facts, model)\n")
    ratio = inproc["median_ads_s"] / inproc["lemma_median_ads_s"]
    rows = [
        ["median-length ads (40–60th pct, %d ads, median %d chars, %.0f words)" % (
            inproc["n_median"], inproc["median_chars"], inproc["median_words_per_ad"]),
         f"{inproc['median_first_ads_s']:.0f}", f"{inproc['median_ads_s']:.0f}",
         f"{inproc['median_p50_ms']:.2f}", f"{inproc['median_p99_ms']:.2f}", f"{inproc['lemma_median_ads_s']:.0f}",
         f"{ratio:.2f}"],
        ["all %d ads" % inproc["n_all"], f"{inproc['all_first_ads_s']:.0f}", f"{inproc['all_ads_s']:.0f}",
         f"{inproc['all_p50_ms']:.2f}", f"{inproc['all_p99_ms']:.2f}", f"{inproc['lemma_all_ads_s']:.0f}",
         f"{inproc['all_ads_s'] / inproc['lemma_all_ads_s']:.2f}"],
    ]
    out.append(fmt_table(["ads", "ads/s first pass (cache cold)", "ads/s warm", "p50 ms", "p99 ms",
                          "lemmatise-only ads/s (warm)", "pipeline / lemmatise"], rows))
    out.append(f"\n- Lemmatisation reference: `service.document.tokenize` + the pipeline's cached pymorphy3 "
               f"lemma over `title + description`: {inproc['lemma_words_s'] / 1e3:.0f}k words/s warm; from a fresh "
               f"cache over all ads {inproc['lemma_all_first_ads_s']:.0f} ads/s.")
    out.append(f"- Cold start (fresh process: import + load + first result, median of {len(cold)}): "
               f"**{c['total_s']:.2f} s** (import {c['import_s']:.2f} s, load {c['load_s']:.2f} s, "
               f"first result {c['first_s'] * 1e3:.0f} ms); RSS then {c['rss_mb']:.0f} MB.")
    out.append(f"- RSS: {inproc['rss_loaded_mb']:.0f} MB loaded, {inproc['rss_end_mb']:.0f} MB after both passes "
               f"over all ads (includes the {inproc['rss_ads_mb'] - inproc['rss_loaded_mb']:.0f} MB of ads held by "
               f"the bench; lemma cache {inproc['lemma_cache_words']} words).")
    if sp:
        out.append(f"- spaCy {sp['version']} baseline (`spacy.blank(\"ru\")` + lemmatizer in pymorphy3 mode, "
                   f"`nlp.pipe`, {sp['n']} median ads, lemmas only, no rules): **{sp['ads_s']:.0f} ads/s**, "
                   f"{sp['words_s'] / 1e3:.0f}k words/s, load {sp['load_s']:.2f} s, RSS {sp['rss_mb']:.0f} MB. "
                   f"The full pipeline is **{inproc['median_ads_s'] / sp['ads_s']:.0f}×** that.")
    if prof:
        out.append(f"\n## Profile (pyinstrument, {prof['n']} classify calls on median ads, warm cache, "
                   f"{prof['seconds']:.2f} s sampled)\n")
        out.append("Inclusive time of the project's functions:\n")
        out.append(fmt_table(["function", "% of time"], [[f"`{k}`", f"{v:.1f}"] for k, v in prof["inclusive"]]))
        out.append("\nSelf time (where the CPU actually is):\n")
        out.append(fmt_table(["function", "% of time"], [[f"`{k}`", f"{v:.1f}"] for k, v in prof["self"]]))
    if h:
        out.append(f"\n## HTTP (wrk, one thread, in a second process on 127.0.0.1; one median ad per request, "
                   f"median body {h['body_chars']:.0f} bytes)\n")
        out.append("`/v1/noop` (only with `VACTAG_BENCH_ENDPOINTS=true`) goes through the same middlewares, "
                   "JSON parsing and request validation as `/v1/classify` and returns `{\"id\": …}`: the "
                   "framework's ceiling. wrk itself takes CPU from the same 2 cores. Per workers and concurrency, "
                   "noop and classify alternate in 3 rounds (one third of the time each); the table gives the "
                   "medians over the rounds, and the ratio is the median of the rounds' own ratios (each round's "
                   "in brackets).\n")
        by = {(r["workers"], r["endpoint"], r["concurrency"]): r for r in h["runs"]}
        rows = []
        for (w, ep, conc), r in sorted(by.items()):
            ratio = ""
            if ep == "/v1/classify":
                ratio = f"{r['ratio']:.2f} ({', '.join(f'{x:.2f}' for x in r['ratios'])})"
            rows.append([w, f"`{ep}`", conc, f"{r['rps']:.0f}", r["p50_ms"], r["p99_ms"], r["errors"], ratio])
        out.append(fmt_table(["workers", "endpoint", "concurrency", "req/s", "p50 ms", "p99 ms", "errors",
                              "classify / noop (rounds)"], rows))
        slow = by.get((2, "/v1/noop", 1))
        if slow and slow["p50_ms"] > 30:
            out.append(f"\n**2 workers: every keep-alive request waits ~40 ms "
                       f"(p50 {slow['p50_ms']} ms at concurrency 1, "
                       "even for the no-op).** With `--workers > 1` uvicorn binds the socket itself with proto 0, so "
                       "asyncio never sets TCP_NODELAY on accepted connections (it only does for proto "
                       "IPPROTO_TCP); the body, written after the headers, then waits for the client's delayed ACK "
                       "(Nagle). With 1 worker asyncio binds the socket and sets TCP_NODELAY. Fix: set TCP_NODELAY "
                       "on the listening socket (Linux passes it on to accepted sockets) in `vactag serve`.")
        out.append("\nWorker RSS after the runs: " + "; ".join(
            f"{w} worker(s): {', '.join(f'{x:.0f}' for x in v if x)} MB" for w, v in h["worker_rss_mb"].items()))
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", nargs="+")
    ap.add_argument("--http-seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 9)))
    ap.add_argument("--no-http", action="store_true")
    ap.add_argument("--no-spacy", action="store_true")
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--spacy-ads", default="400")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()
    if args.child:
        fn = {"cold": child_cold, "inproc": child_inproc, "spacy": child_spacy, "profile": child_profile}
        print(json.dumps(fn[args.child[0]](*args.child[1:])))
        return

    m = machine()
    print(f"machine: {m}", flush=True)
    cold = [_child("cold") for _ in range(3)]
    print("cold start:", [round(c["total_s"], 2) for c in cold], flush=True)
    inproc = _child("inproc")
    print("in-process:", {k: round(v, 2) if isinstance(v, float) else v for k, v in inproc.items()}, flush=True)
    sp = None
    if not args.no_spacy:
        try:
            sp = _child("spacy", args.spacy_ads)
            print("spaCy:", sp, flush=True)
        except RuntimeError as exc:
            print("spaCy baseline skipped:", str(exc)[-300:])
    prof = None
    if not args.no_profile:
        try:
            prof = _child("profile", "400")
            print("profile (inclusive):", *[f"  {v:5.1f}%  {k}" for k, v in prof["inclusive"]], sep="\n")
            print("profile (self):", *[f"  {v:5.1f}%  {k}" for k, v in prof["self"]], sep="\n")
        except RuntimeError as exc:
            print("profile skipped:", str(exc)[-300:])
    h = None
    if not args.no_http:
        if have_wrk():
            h = http(args.http_seconds)
        else:
            print("HTTP skipped: wrk is not installed (apt-get install -y wrk)")
    text = report(m, cold, inproc, sp, prof, h)
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    if LOAD_MARKER in old:
        text += "\n" + old[old.index(LOAD_MARKER):]
    args.out.write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
