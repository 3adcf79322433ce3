"""Where a result is keyed and kept: the key of a snippet (key.py), keys remembered between builds
(keycache.py), the local result cache (cache.py), its record format and the shared remote cache.
"""
