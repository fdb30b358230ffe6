"""``python -m writ.models --model hf:smollm2 --port 8000``: serve a backend over HTTP (see `server.main`)."""

from writ.models.server import main

main()
