defmodule Mix.Tasks.DalaOta.Publish do
  @shortdoc "Publishes a dala-ota bundle and deploys it on a channel"
  @moduledoc """
  Publishes a bundle to the server's admin API and deploys it on a channel:

      mix dala_ota.publish --channel beta --rollout 10 [--bundle FILE] [--server URL]
                           [--app ID] [--mandatory] [--apply-mode hot|next_start]
                           [--failure-count N] [--no-deploy]
                           [any mix dala_ota.bundle option, when --bundle is not given]

  Without `--bundle` it builds one first with `mix dala_ota.bundle`. The server comes from
  `--server` or `OTA_URL`, the API token (a publisher's) from `OTA_TOKEN`, never from the
  command line, so it stays out of shell history and process lists. `--rollout` is a
  percentage; without it the release goes to the whole channel.
  """
  use Mix.Task

  @switches [
    channel: :string,
    rollout: :integer,
    bundle: :string,
    server: :string,
    app: :string,
    mandatory: :boolean,
    apply_mode: :string,
    failure_count: :integer,
    deploy: :boolean,
    # dala_ota.bundle's, passed on when the bundle is built here
    label: :string,
    out: :string,
    min_agent_version: :string,
    ebin: :keep,
    compile: :boolean
  ]

  @bundle_options [:app, :label, :out, :apply_mode, :min_agent_version, :ebin, :compile]

  @impl Mix.Task
  def run(args) do
    {opts, _rest, invalid} = OptionParser.parse(args, strict: @switches)
    if invalid != [], do: Mix.raise("dala_ota: unknown or invalid options: #{inspect(invalid)}")

    case publish(opts) do
      {:ok, message} -> Mix.shell().info(message)
      {:error, message} -> Mix.raise(message)
    end
  end

  @doc false
  def publish(opts) do
    with {:ok, server} <-
           setting(opts[:server] || System.get_env("OTA_URL"), "--server or OTA_URL"),
         {:ok, token} <- setting(System.get_env("OTA_TOKEN"), "OTA_TOKEN"),
         {:ok, app} <-
           setting(opts[:app] || get_in(Mix.Project.config(), [:dala_ota, :app]), "--app"),
         {:ok, bundle_path} <- bundle(opts),
         {:ok, bytes} <- File.read(bundle_path) |> explain(bundle_path),
         admin = DalaOta.Admin.new(server, token),
         {:ok, release} <- DalaOta.Admin.publish(admin, app, bytes) |> explain("publish") do
      sequence = release["sequence"]
      published = "dala_ota: published #{app} sequence #{sequence} (#{release["label"]})"

      if Keyword.get(opts, :deploy, true) do
        with {:ok, channel} <- setting(opts[:channel], "--channel"),
             {:ok, deployment} <-
               DalaOta.Admin.deploy(admin, app, channel, sequence, opts[:rollout], extra(opts))
               |> explain("deploy") do
          {:ok,
           published <>
             "; deployed on #{channel} to #{opts[:rollout] || 100}% (deployment #{deployment["id"]})"}
        end
      else
        {:ok, published}
      end
    end
  end

  defp bundle(opts) do
    case opts[:bundle] do
      nil ->
        bundle_args = opts |> Keyword.take(@bundle_options) |> OptionParser.to_argv()

        case Mix.Tasks.DalaOta.Bundle.build(bundle_args) do
          {:ok, path, _} -> {:ok, path}
          error -> error
        end

      path ->
        {:ok, path}
    end
  end

  defp extra(opts) do
    %{}
    |> put(:mandatory, opts[:mandatory])
    |> put(:apply_mode, opts[:apply_mode])
    |> put(:failure_threshold, opts[:failure_count] && %{count: opts[:failure_count]})
  end

  defp put(map, _key, nil), do: map
  defp put(map, key, value), do: Map.put(map, key, value)

  defp setting(nil, what), do: {:error, "dala_ota: #{what} is required"}
  defp setting("", what), do: {:error, "dala_ota: #{what} is required"}
  defp setting(value, _what), do: {:ok, value}

  defp explain({:ok, _} = ok, _what), do: ok

  defp explain({:error, {:http, status, body}}, what),
    do: {:error, "dala_ota: #{what} failed with #{status}: #{inspect(body)}"}

  defp explain({:error, reason}, what),
    do: {:error, "dala_ota: #{what} failed: #{inspect(reason)}"}
end
