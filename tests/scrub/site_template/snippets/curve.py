"""A curve whose power and colour a reader picks: the figure of tests/scrub's page."""

import matplotlib.pyplot as plt
import publish
import vary

p = vary.params(power=2, tone="warm")
xs = [i / 20 for i in range(41)]
ys = [x**p.power for x in xs]
assert ys[-1] >= 2, f"the curve ends at {ys[-1]}"
fig, ax = plt.subplots(figsize=(4, 2.5))
ax.plot(xs, ys, color="tab:red" if p.tone == "warm" else "tab:blue")
ax.set_title(f"x^{p.power}")
publish.value("end", ys[-1])
publish.value("power", p.power)
publish.value("tone", p.tone)
