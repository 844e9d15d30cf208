"""A sandbox tool executor for the catalog tests: answers POST {"name", "arguments"} with a
result that fits the function's `responses` in the catalog given, every fifth call with a 404,
and logs each call with its answer, one JSON line per call, for the test to compare.

Usage: tool_executor.py CATALOG.json PORT_FILE LOG_FILE
"""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

catalog_path, port_file, log_path = sys.argv[1:4]
responses = {t["function"]["name"]: t["function"]["responses"] for t in json.load(open(catalog_path))}
lock = threading.Lock()
calls = [0]


def instance(schema, name, n):
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {key: instance(props[key], key, n) for key in schema.get("required", []) if key in props}
    if kind == "array":
        return [instance(schema.get("items", {}), name, n)]
    if kind == "integer":
        return n
    if kind == "number":
        return n + 0.5
    if kind == "boolean":
        return True
    return f"{name}-{n}"


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with lock:
            calls[0] += 1
            n = calls[0]
        if body["name"] not in responses:
            status, answer = 400, {"error": {"message": "unknown function " + body["name"]}}
        elif n % 5 == 0:
            status, answer = 404, {"error": {"message": "nothing matches those arguments"}}
        else:
            status, answer = 200, instance(responses[body["name"]], body["name"], n)
        with lock, open(log_path, "a") as log:
            log.write(json.dumps({"call": body, "status": status, "answer": answer}) + "\n")
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.replace(port_file + ".tmp", port_file)
server.serve_forever()
