#!/bin/sh
# Installs Graphviz's `dot` program where this machine lets us; otherwise says the one command to run.
if command -v dot >/dev/null 2>&1; then
    exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz && exit 0
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz && exit 0
    fi
    echo "Graphviz's dot program is missing (chapter 07 draws graphs with it). Run: sudo apt-get install graphviz"
elif command -v brew >/dev/null 2>&1; then
    brew install graphviz && exit 0
    echo "Graphviz's dot program is missing (chapter 07 draws graphs with it). Run: brew install graphviz"
else
    echo "Graphviz's dot program is missing (chapter 07 draws graphs with it). Install Graphviz from your package manager, or: conda install graphviz"
fi
