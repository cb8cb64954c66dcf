defmodule Mix.Tasks.DalaOta.Bundle do
  @shortdoc "Builds a dala-ota draft bundle from the project's compiled modules"
  @moduledoc """
  Builds a draft bundle from the project's compiled `.beam` files, ready for
  `mix dala_ota.publish` (or `ota publish`). Modules of OTP, Elixir and the agent are refused.

      mix dala_ota.bundle --app com.example.app [--label v1.2.0] [--out FILE]
                          [--apply-mode hot|next_start] [--min-agent-version 0.1.0]
                          [--ebin DIR]... [--no-compile]

  Defaults: `--app` from `dala_ota: [app: ...]` in the project config, `--label` the project
  version, `--ebin` the project's own ebin (compiled first unless `--no-compile`), `--out`
  `_build/dala_ota/APP-LABEL.bundle`.
  """
  use Mix.Task

  @switches [
    app: :string,
    label: :string,
    out: :string,
    apply_mode: :string,
    min_agent_version: :string,
    ebin: :keep,
    compile: :boolean
  ]

  @impl Mix.Task
  def run(args) do
    case build(args) do
      {:ok, path, summary} ->
        Mix.shell().info("dala_ota: wrote #{path} (#{summary.modules} modules)")
        path

      {:error, message} ->
        Mix.raise(message)
    end
  end

  @doc false
  # Builds and writes the bundle; returns the path, for dala_ota.publish too.
  def build(args) do
    {opts, _rest, invalid} = OptionParser.parse(args, strict: @switches)

    with :ok <- no_invalid(invalid),
         :ok <- maybe_compile(opts),
         {:ok, app} <- required(opts[:app] || project_setting(:app), "--app"),
         {:ok, mode} <- apply_mode(opts[:apply_mode] || "hot") do
      label = opts[:label] || to_string(Mix.Project.config()[:version] || "0.0.0")
      dirs = Keyword.get_values(opts, :ebin)
      dirs = if dirs == [], do: [Mix.Project.compile_path()], else: dirs

      out =
        opts[:out] ||
          Path.join([Mix.Project.build_path(), "..", "dala_ota", "#{app}-#{label}.bundle"])
          |> Path.expand()

      case DalaOta.BundleBuilder.build(dirs,
             app: app,
             label: label,
             apply_mode: mode,
             min_agent_version: opts[:min_agent_version] || "0.1.0"
           ) do
        {:ok, bytes, summary} ->
          File.mkdir_p!(Path.dirname(out))
          File.write!(out, bytes)
          {:ok, out, summary}

        {:error, problems} ->
          {:error,
           "dala_ota: cannot build the bundle:\n" <>
             Enum.map_join(problems, "\n", fn {code, what} -> "  #{code}: #{what}" end)}
      end
    end
  end

  defp no_invalid([]), do: :ok

  defp no_invalid(invalid),
    do: {:error, "dala_ota: unknown or invalid options: #{inspect(invalid)}"}

  defp maybe_compile(opts) do
    if Keyword.get(opts, :compile, true) and Keyword.get_values(opts, :ebin) == [],
      do: Mix.Task.run("compile")

    :ok
  end

  defp required(nil, flag), do: {:error, "dala_ota: #{flag} is required"}
  defp required(value, _flag), do: {:ok, value}

  defp apply_mode("hot"), do: {:ok, :hot}
  defp apply_mode("next_start"), do: {:ok, :next_start}

  defp apply_mode(other),
    do: {:error, "dala_ota: --apply-mode must be hot or next_start, not #{other}"}

  defp project_setting(key), do: get_in(Mix.Project.config(), [:dala_ota, key])
end
