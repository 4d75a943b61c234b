"""A minimal W3C WebDriver client on Python's standard library, for driving the real Matchbook
app through tauri-driver. One persistent HTTP connection for every request: a new connection
per request fails now and then with "Remote end closed connection" (see the README's testing
notes)."""

import base64
import http.client
import json
import time


class WebDriverError(Exception):
    pass


class Session:
    def __init__(self, application, args, host="127.0.0.1", port=4444):
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "wry",
                    "tauri:options": {"application": application, "args": args},
                }
            }
        }
        self.id = self._request("POST", "/session", caps)["sessionId"]

    def _request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if data is not None else {}
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        payload = json.loads(response.read() or b"{}")
        value = payload.get("value")
        if response.status >= 400:
            message = value.get("message") if isinstance(value, dict) else value
            raise WebDriverError(f"{method} {path}: {response.status} {message}")
        return value

    def _cmd(self, method, path, body=None):
        return self._request(method, f"/session/{self.id}{path}", body)

    def quit(self):
        try:
            self._cmd("DELETE", "")
        finally:
            self.conn.close()

    # -- finding ------------------------------------------------------------------------------
    def find(self, css, timeout=10):
        """The first element matching `css`, waiting for it to appear."""
        deadline = time.time() + timeout
        while True:
            found = self._cmd("POST", "/elements", {"using": "css selector", "value": css})
            if found:
                return Element(self, list(found[0].values())[0])
            if time.time() > deadline:
                raise WebDriverError(f"no element matches {css!r} after {timeout} s")
            time.sleep(0.1)

    def find_all(self, css):
        found = self._cmd("POST", "/elements", {"using": "css selector", "value": css})
        return [Element(self, list(f.values())[0]) for f in found]

    def testid(self, name, timeout=10):
        return self.find(f'[data-testid="{name}"]', timeout)

    def wait_until(self, what, predicate, timeout=15):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                last = predicate()
                if last:
                    return last
            except WebDriverError as e:
                last = e
            time.sleep(0.1)
        raise WebDriverError(f"timed out waiting for {what} (last: {last!r})")

    # -- the page -----------------------------------------------------------------------------
    def execute(self, script, *args):
        return self._cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def settle(self):
        """Waits two animation frames, so a screenshot shows the page after the last action."""
        self._cmd(
            "POST",
            "/execute/async",
            {
                "script": "const done = arguments[0];"
                "requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                "args": [],
            },
        )

    # WebKitWebDriver's screenshot waits for the page's next frame. With the renderer the app
    # chooses (WEBKIT_DISABLE_DMABUF_RENDERER, see src-tauri/src/main.rs) a page that does not
    # change draws no next frame, and the screenshot would wait forever; so a pixel of the top
    # left corner, invisible (alpha 1/255), flickers for two seconds while it is taken.
    NUDGE_FRAMES = """
const dot = document.createElement('div');
dot.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;z-index:2147483647';
document.body.appendChild(dot);
let n = 0;
const t = setInterval(() => {
  dot.style.background = n++ % 2 ? 'rgba(0,0,0,0.004)' : 'transparent';
  if (n > 120) { clearInterval(t); dot.remove(); }
}, 16);
"""

    def screenshot(self, path):
        self.settle()
        self.execute(self.NUDGE_FRAMES)
        png = base64.b64decode(self._cmd("GET", "/screenshot"))
        with open(path, "wb") as f:
            f.write(png)

    def keys(self, text):
        """Types into whatever has focus (special keys: "\\ue007" Enter, "\\ue00c" Escape)."""
        actions = [a for c in text for a in ({"type": "keyDown", "value": c}, {"type": "keyUp", "value": c})]
        self._cmd("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})
        self._cmd("DELETE", "/actions")


class Element:
    def __init__(self, session, element_id):
        self.session = session
        self.id = element_id

    def _cmd(self, method, path, body=None):
        return self.session._cmd(method, f"/element/{self.id}{path}", body)

    def click(self):
        self._cmd("POST", "/click", {})
        return self

    def clear(self):
        self._cmd("POST", "/clear", {})
        return self

    def type(self, text):
        self._cmd("POST", "/value", {"text": text})
        return self

    def fill(self, text):
        """Replaces the field's value with `text`."""
        return self.clear().type(text)

    @property
    def text(self):
        return self._cmd("GET", "/text")

    @property
    def tag(self):
        return self._cmd("GET", "/name").lower()

    @property
    def value(self):
        return self._cmd("GET", "/property/value")

    def attribute(self, name):
        return self._cmd("GET", f"/attribute/{name}")
