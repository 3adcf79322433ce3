"""A figure as a page shows it: its SVG themed for Material's light and dark palettes (svgtheme.py,
palette.py). Below the render layer, which puts it in pages, because the worker needs it too: the
figure budget is on the themed figure (``engine/run/rasterise.py``). Nothing here is imported until
a figure is themed or measured (lxml).
"""
