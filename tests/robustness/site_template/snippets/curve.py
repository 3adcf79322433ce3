"""A parabola: the template's one snippet file, using only matplotlib (fast to run)."""

import matplotlib.pyplot as plt

xs = [x / 10 for x in range(-20, 21)]
fig, ax = plt.subplots()
ax.plot(xs, [x * x for x in xs])
ax.set_title("A parabola")
print("curve drawn")
