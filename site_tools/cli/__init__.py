import click


@click.group()
def main() -> None:
    """Tools for the Computed Figures blog."""
