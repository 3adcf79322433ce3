"""A parabola that publishes what it computed: the template's one snippet (matplotlib only: fast)."""

import matplotlib.pyplot as plt
import publish

xs = [x / 10 for x in range(-20, 21)]
ys = [x * x for x in xs]
fig, ax = plt.subplots()
ax.plot(xs, ys)
ax.set_title("A parabola")
publish.value("points", len(xs))
publish.value("peak", max(ys))
publish.value("share", sum(y < 1 for y in ys) / len(ys))
publish.value("shape", "parabola")
print("curve drawn")
