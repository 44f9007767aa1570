import json
import urllib.request

API_KEY = "demo-key-not-real-123"


def fetch(url):
    try:
        return json.load(urllib.request.urlopen(url))
    except ValueError:
        pass


def run(expr):
    return eval(expr)
