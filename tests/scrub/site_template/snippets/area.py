"""The area under x to a power on [0, 2]: the second figure of tests/scrub's linked page."""

import matplotlib.pyplot as plt
import publish
import vary

p = vary.params(power=2)
area = 2 ** (p.power + 1) / (p.power + 1)
fig, ax = plt.subplots(figsize=(4, 2.5))
ax.bar(["area"], [area])
ax.set_ylim(0, 6)
ax.set_title(f"area under x^{p.power}")
publish.value("area", area)
publish.value("power", p.power)
