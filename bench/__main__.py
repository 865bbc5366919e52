"""`python -m bench` lists the benchmarks; each is run as `python -m bench.<name>`."""

import pkgutil

import bench

if __name__ == "__main__":
    print("Benchmarks (run each with: .venv/bin/python -m bench.<name>):")
    for module in pkgutil.iter_modules(bench.__path__):
        print(f"  {module.name}")
