"""Inputs of the posts tests: a small site configuration, a valid post to vary, and the seeds."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import frontmatter

SEEDS_DIR = Path(__file__).parent / "seeds"
REPO_ROOT = Path(__file__).resolve().parents[2]

MKDOCS_YML = """\
site_name: Schema tests
plugins:
  - search
  - blog:
      post_excerpt: required
      categories_allowed:
        - Deep Learning
        - Tutorials
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
  - pymdownx.snippets:
      base_path: !ENV [SNIPPETS_BASE, "."]
"""

AUTHORS_YML = """\
authors:
  jane:
    name: Jane Doe
    description: Writes about optimisers
    avatar: jane.png
  ali:
    name: Ali Khan
    description: Writes about vision
    avatar: ali.png
"""

VALID_FRONT = """\
title: A post about gradients
date: 2024-01-02
description: How gradients flow backwards through a small network.
authors: [jane]
categories: [Deep Learning]
tags: [PyTorch, Backpropagation]
"""

VALID_BODY = "The opening paragraph.\n\n<!-- more -->\n\nThe rest.\n"

WritePost = Callable[..., Path]

TITLE_004 = "Deep Learning: How Neural Networks Learn from Data"
LEFTOVERS = (
    "Feel free to customize",
    "ChatGPT can make mistakes",
    "/posts/2012/08/blog-post-4/",
    "permalink",
    "sidebar_position",
    "layout:",
    "keywords:",
    "------",
)


def seed(prefix: str) -> Path:
    [path] = SEEDS_DIR.glob(f"{prefix}_*.txt")
    return path


def seed_paragraphs(prefix: str) -> list[str]:
    """The seed's text blocks that must reach the post word for word."""
    text = frontmatter.load(seed(prefix)).content
    kept = []
    for raw in re.split(r"\n\s*\n", text):
        lines = [
            line
            for line in raw.strip().splitlines()
            if not line.startswith(("Feel free to customize", "ChatGPT can make mistakes"))
        ]
        block = "\n".join(lines)
        if block and not re.fullmatch(r"#.*|[\w ]+:|[a-z-]+|-+", block):
            kept.append(block)
    return kept
