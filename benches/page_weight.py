#!/usr/bin/env python3
"""Bytes a phone downloads for one page (issue 13's target: a project page with photos
under 500 KB at 360 px, 2x density): headless Chromium over the DevTools protocol, the
page scrolled to its end so that lazy images load, every response's encoded length
summed. Measures only.

    python3 benches/page_weight.py http://127.0.0.1:8000/projects/kestrel-uav/ [--width 360]
"""
import argparse, json, subprocess, tempfile, time, urllib.request
import websocket  # pip install websocket-client

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--width", type=int, default=360)
    ap.add_argument("--scale", type=float, default=2)
    ap.add_argument("--chromium", default="chromium")
    ap.add_argument("--screenshot", help="also save a full-page PNG here")
    a = ap.parse_args()
    profile = tempfile.mkdtemp()
    port = 9333
    proc = subprocess.Popen([a.chromium, "--headless", "--no-sandbox", f"--remote-debugging-port={port}",
                             f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                tabs = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
                break
            except OSError:
                time.sleep(0.1)
        page = next(t for t in tabs if t["type"] == "page")
        ws = websocket.create_connection(page["webSocketDebuggerUrl"])
        ids = iter(range(1, 10**6))
        events = []
        def call(method, params=None):
            i = next(ids)
            ws.send(json.dumps({"id": i, "method": method, "params": params or {}}))
            while True:
                m = json.loads(ws.recv())
                if m.get("id") == i:
                    return m.get("result")
                events.append(m)
        call("Network.enable")
        call("Network.setCacheDisabled", {"cacheDisabled": True})
        call("Emulation.setDeviceMetricsOverride", {"width": a.width, "height": 800,
             "deviceScaleFactor": a.scale, "mobile": a.width < 600})
        call("Page.enable")
        call("Page.navigate", {"url": a.url})
        end = time.time() + 5
        scrolled = False
        while time.time() < end:
            ws.settimeout(0.5)
            try:
                events.append(json.loads(ws.recv()))
            except websocket.WebSocketTimeoutException:
                if not scrolled:
                    ws.settimeout(30)
                    # Down the page in steps, as a reader scrolls, so lazy images load.
                    call("Runtime.evaluate", {"expression": "(async () => { for (let y = 0; y < document.body.scrollHeight; y += 400) { window.scrollTo(0, y); await new Promise(r => setTimeout(r, 60)); } })()"})
                    scrolled = True
        ws.settimeout(60)
        if a.screenshot:
            import base64
            call("Runtime.evaluate", {"expression": "window.scrollTo(0, 0)"})
            height = call("Runtime.evaluate", {"expression": "document.documentElement.scrollHeight", "returnByValue": True})["result"]["value"]
            call("Emulation.setDeviceMetricsOverride", {"width": a.width, "height": min(height, 8000),
                 "deviceScaleFactor": a.scale, "mobile": a.width < 600})
            time.sleep(1)
            # Until every image has loaded and been decoded.
            call("Runtime.evaluate", {"awaitPromise": True, "expression": "Promise.all([...document.images].map(i => i.decode().catch(() => 0)))"})
            time.sleep(1)
            shot = call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
            with open(a.screenshot, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        sizes, urls = {}, {}
        for e in events:
            if e.get("method") == "Network.requestWillBeSent":
                urls[e["params"]["requestId"]] = e["params"]["request"]["url"]
            if e.get("method") == "Network.loadingFinished":
                sizes[e["params"]["requestId"]] = e["params"]["encodedDataLength"]
        total = sum(sizes.values())
        for rid, n in sorted(sizes.items(), key=lambda x: -x[1]):
            print(f"{n/1024:8.1f} KB  {urls.get(rid, '?')}")
        print(f"{total/1024:8.1f} KB  total, {len(sizes)} responses, at {a.width} px x{a.scale}")
    finally:
        proc.kill()

if __name__ == "__main__":
    main()
