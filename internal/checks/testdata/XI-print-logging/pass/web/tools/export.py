"""export-data: a command that prints what it exports."""
import argparse


def main():
    args = argparse.ArgumentParser().parse_args()
    print("exported", args)
