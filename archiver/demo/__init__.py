"""The bundled demo news site (``site/``) and the small local HTTP server that serves
it, the tests' sites and the benchmarks' (``server``).
"""
