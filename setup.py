"""Only what pyproject.toml cannot say: the repository's library/ (the sample episodes)
ships inside the package as reader.samples, beside the packages found under src/."""

from setuptools import find_packages, setup

setup(
    packages=find_packages("src") + ["reader.samples"],
    package_dir={"": "src", "reader.samples": "library"},
)
