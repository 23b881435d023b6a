#!/usr/bin/env python3
"""Checks the IIIF Presentation 3.0 answers of a running `gazette serve`:
walks from the top collection through every gazette, year and issue to each
issue's and document's manifest and every canvas's OCR annotation page, and
loads each into the `iiif-prezi3` model (pydantic classes generated from the
IIIF presentation validator's JSON schema). That model is lenient (it takes
a plain string for a label, a canvas without id), so the rules of the
Presentation 3.0 specification it lets through are checked here too
(`strict`): ids are HTTP(S) URIs and unique, labels and values are language
maps, canvases have whole positive sizes, rights is a Creative Commons or
RightsStatements.org URI, every annotation has a motivation and a target.
Also: ranges (nested ones too) and annotations point at canvases of their manifest, and the
search services (2.0 and 1.0) answer with hits on those canvases.

Usage: iiif_presentation_check.py BASE_URL [QUERY]
"""
import json
import sys
import urllib.parse
import urllib.request

from iiif_prezi3 import AnnotationPage, Collection, Manifest


def get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        assert r.headers.get("Access-Control-Allow-Origin") == "*", f"{url}: no CORS header"
        return json.load(r)


def load(model, j, url):
    try:
        model(**j)
    except Exception as e:  # the model's validation errors
        raise SystemExit(f"{url}: not a valid {model.__name__}: {e}")
    strict(j, url, set())


def lang_map(v, where):
    ok = isinstance(v, dict) and v and all(
        isinstance(k, str) and isinstance(x, list) and x and all(isinstance(s, str) for s in x)
        for k, x in v.items())
    assert ok, f"{where}: not a language map: {v!r}"


def strict(o, where, seen):
    """The specification's rules on resources, recursively."""
    if isinstance(o, list):
        for x in o:
            strict(x, where, seen)
        return
    if not isinstance(o, dict):
        return
    t = o.get("type")
    rid = o.get("id")
    if t in ("Collection", "Manifest", "Canvas", "AnnotationPage", "Annotation", "Range"):
        assert isinstance(rid, str) and rid.startswith(("http://", "https://")), f"{where}: {t} without an HTTP id"
        if "items" in o or t in ("Annotation",):
            # Embedded resources (not references) appear once.
            assert rid not in seen, f"{where}: id {rid} used twice"
            seen.add(rid)
    if t in ("Collection", "Manifest"):
        lang_map(o.get("label"), f"{where} {t} label")
    if "label" in o and t is not None:
        lang_map(o["label"], f"{where} {rid} label")
    for m in o.get("metadata", []):
        lang_map(m.get("label"), f"{where} metadata")
        lang_map(m.get("value"), f"{where} metadata")
    if "requiredStatement" in o:
        lang_map(o["requiredStatement"].get("label"), f"{where} requiredStatement")
        lang_map(o["requiredStatement"].get("value"), f"{where} requiredStatement")
    if "summary" in o:
        lang_map(o["summary"], f"{where} summary")
    if "rights" in o:
        r = o["rights"]
        assert r.startswith(("http://creativecommons.org/", "https://creativecommons.org/",
                             "http://rightsstatements.org/vocab/")), f"{where}: rights {r}"
    if t == "Canvas" and "items" in o:  # embedded, not a reference
        for k in ("width", "height"):
            assert isinstance(o.get(k), int) and o[k] > 0, f"{where}: canvas {rid} {k} {o.get(k)!r}"
    if t == "Annotation":
        assert o.get("motivation"), f"{where}: annotation {rid} without motivation"
        assert o.get("target"), f"{where}: annotation {rid} without target"
    if t == "Manifest" and "items" in o:
        assert isinstance(o["items"], list), f"{where}: items"
    for k, v in o.items():
        if k not in ("label", "summary", "metadata", "requiredStatement"):
            strict(v, where, seen)


def check_manifest(url, query, counts):
    m = get(url)
    load(Manifest, m, url)
    assert m["id"] == url, f"{url}: id is {m['id']}"
    canvases = {c["id"]: c for c in m["items"]}
    assert len(canvases) == len(m["items"]), f"{url}: repeated canvas ids"
    assert canvases, f"{url}: no canvases"
    for c in m["items"]:
        for ap in c.get("annotations", []):
            page = get(ap["id"])
            load(AnnotationPage, page, ap["id"])
            for a in page["items"]:
                assert a["motivation"] == "supplementing"
                assert a["target"].split("#")[0] == c["id"], f"{a['id']}: not on its canvas"
            counts["annotations"] += len(page["items"])
        for p in c.get("items", []):
            for a in p["items"]:
                svc = a["body"]["service"][0]["id"] + "/info.json"
                info = get(svc)
                assert (info["width"], info["height"]) == (a["body"]["width"], a["body"]["height"]), svc
    def check_range(r):
        # A range holds canvases and ranges (a document's holds one per
        # article); every canvas, however deep, is one of the manifest's.
        for it in r["items"]:
            if it.get("type") == "Range":
                check_range(it)
            else:
                assert it["id"] in canvases, f"{url}: range {r['id']} names a canvas not in the manifest"

    for r in m.get("structures", []):
        check_range(r)
    counts["manifests"] += 1
    if query:
        services = {s.get("type") or s.get("@type"): s.get("id") or s.get("@id") for s in m["service"]}
        q = urllib.parse.quote(query)
        v2 = get(f"{services['SearchService2']}?q={q}")
        assert v2["type"] == "AnnotationPage"
        load(AnnotationPage, {k: v for k, v in v2.items() if k != "annotations"}, services["SearchService2"])
        for a in v2["items"]:
            assert a["target"].split("#")[0] in canvases, f"search hit off the manifest: {a['target']}"
        v1 = get(f"{services['SearchService1']}?q={q}")
        assert len(v1["resources"]) == len(v2["items"]), "search 1.0 and 2.0 disagree"
        counts["hits"] += len(v2["items"])
    return m


def main():
    base = sys.argv[1].rstrip("/")
    query = sys.argv[2] if len(sys.argv) > 2 else ""
    counts = {"collections": 0, "manifests": 0, "annotations": 0, "hits": 0}
    top_url = f"{base}/iiif/presentation/collection"
    top = get(top_url)
    load(Collection, top, top_url)
    counts["collections"] += 1
    for g in top["items"]:
        gc = get(g["id"])
        load(Collection, gc, g["id"])
        counts["collections"] += 1
        for y in gc["items"]:
            yc = get(y["id"])
            load(Collection, yc, y["id"])
            counts["collections"] += 1
            for issue in yc["items"]:
                m = check_manifest(issue["id"], query, counts)
                for r in m.get("structures", []):
                    doc = r["id"].rsplit("/", 1)[0] + "/manifest"
                    check_manifest(doc, query, counts)
    if counts["manifests"] == 0:
        raise SystemExit("no manifest reached from the top collection")
    if query and counts["hits"] == 0:
        raise SystemExit(f"no search hit for {query!r}")
    print("IIIF presentation: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + ", all valid")


if __name__ == "__main__":
    main()
