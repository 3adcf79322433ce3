"""Where a snippet runs: the executor interface (executor.py) and the registry of executors an option
can name (registry.py), the job-slot loop (slots.py) under the local pool (pool.py) and the worker
daemon (daemon.py, daemon_client.py), Dask (dask_executor.py, dask_task.py), and what happens inside a
worker (child.py and the modules it uses).
"""
