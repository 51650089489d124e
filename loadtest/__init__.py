"""`make loadtest`: the app under load and with its database restarted (see run.py)."""
