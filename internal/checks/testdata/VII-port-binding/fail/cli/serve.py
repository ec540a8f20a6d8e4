import click


@click.command()
@click.option(
    "--port",
    default=5722,
    help="TCP port on which to listen",
)
def main(port):
    pass
