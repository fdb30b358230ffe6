"""Placeholder, replaced below."""
def generate(seed=0, scale=1.0): raise NotImplementedError
