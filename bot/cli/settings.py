"""`localcheck settings`: what the bot will use, and where each value comes from."""

from __future__ import annotations

import typer
from pydantic import SecretStr, ValidationError

from bot.settings import Settings, environment_name, hide_credentials


def load_settings() -> Settings:
    """The settings, or a friendly exit naming the variable that is wrong."""
    try:
        return Settings()
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            name = str(detail["loc"][0]) if detail["loc"] else "?"
            typer.secho(f"Setting {name}: {detail['msg']}", err=True, fg="red")
        raise typer.Exit(2) from error


def shown_value(value: object) -> str:
    if isinstance(value, SecretStr):
        return "(set, hidden)" if value.get_secret_value() else ""
    return "" if value is None else hide_credentials(str(value))


def env_example() -> str:
    """The text of `.env.example`: every setting with its default, documented."""
    lines = ["# localcheck settings: copy to .env and fill in what you use.", ""]
    for field_name, info in Settings.model_fields.items():
        lines.append(f"# {info.description}")
        if info.default_factory:  # computed per machine: leave it commented out
            lines.append(f"# {environment_name(field_name)}=")
        else:
            default = info.get_default()
            lines.append(f"{environment_name(field_name)}={'' if default is None else default}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def settings_command(
    env_example_format: bool = typer.Option(
        False, "--env-example", help="Print every setting in .env format with its default."
    ),
) -> None:
    """Show each setting, the variable it is read from, and its value (secrets hidden)."""
    if env_example_format:
        typer.echo(env_example(), nl=False)
        return
    settings = load_settings()
    rows = [(environment_name(name), shown_value(getattr(settings, name))) for name in Settings.model_fields]
    width = max(len(variable) for variable, _ in rows)
    for variable, value in rows:
        typer.echo(f"{variable.ljust(width)}  {value}")
