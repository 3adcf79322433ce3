"""What the network of the learning-rate figure has learned after its 200 steps: its decision
boundary over the two moons, at the learning rate the reader picks (linked to the other figures).

Checks what the post says: a rate that converges fast (1.0) separates the moons (>= 97 % right);
the small rates leave the nearly straight boundary the network started with (< 90 %); the rate that
diverges does no better than the small ones.
"""

from __future__ import annotations

import figstyle
import publish
import vary
from moons_training import train

p = vary.params(lr=0.1)
run = train(p.lr)
accuracy = run.accuracy
if run.diverged:
    shape = "is thrown about by the oversized weights"
elif accuracy >= 0.97:
    shape = "curls around both moons"
else:
    shape = "is still close to the straight line the network started with"
assert (accuracy >= 0.97) == (p.lr == 1.0), f"lr {p.lr}: {accuracy:.1%} right"
assert run.diverged or p.lr == 1.0 or accuracy < 0.9, f"lr {p.lr}: {accuracy:.1%} right"
publish.value("lr", p.lr)
publish.value("accuracy", accuracy)
publish.value("shape", shape)

fig, (ax,) = figstyle.new_figure(height=3.4)
figstyle.decision_regions(ax, run.predict, run.points, run.labels, margin=0.3, resolution=70)
ax.set_aspect("equal")
figstyle.label(ax, f"Learning rate {p.lr:g}: {accuracy:.0%} of the points right", "x₁", "x₂")
figstyle.check(fig)
print(f"lr {p.lr:g}: {accuracy:.1%} right; the boundary {shape}")
