"""wrk, as the benches drive it: one run against one URL, its requests per second."""

import re
import subprocess


def requests_per_second(command: list[str], url: str, headers: list[str] = ()) -> float:
    """Runs `command` (wrk and its options) against `url` with the headers ("Name: value");
    a run where any response failed is an error, not a figure."""
    arguments = [part for header in headers for part in ("-H", header)]
    output = subprocess.run(
        [*command, *arguments, url], capture_output=True, text=True, check=True
    ).stdout
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    assert not failed, f"{url}: {failed.group(1)} failed responses under load"
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
