defmodule DalaOta.Admin do
  @moduledoc """
  A small client for the server's admin API (docs/api.md), for the Mix tasks that app
  developers run: publish a bundle, deploy it on a channel. It uses the agent's own transports,
  so it needs no dependencies either.
  """

  alias DalaOta.Admin.Json

  defstruct [:url, :token, timeout: 120_000]

  @type t :: %__MODULE__{url: binary, token: binary, timeout: pos_integer}

  @doc "A client for a server URL and an API token."
  @spec new(binary, binary) :: t
  def new(url, token), do: %__MODULE__{url: String.trim_trailing(url, "/"), token: token}

  @doc "Publishes a draft bundle; returns the release (201 new, 200 already published)."
  @spec publish(t, binary, binary) :: {:ok, map} | {:error, term}
  def publish(admin, app, bundle) do
    request(
      admin,
      :post,
      "/api/v1/apps/#{app}/releases",
      {"application/vnd.dala-ota.bundle", bundle}
    )
  end

  @doc """
  Deploys a release on a channel. `rollout` is a percentage (nil for everyone); `extra` may hold
  `failure_threshold`, `mandatory` and `apply_mode` as the API takes them.
  """
  @spec deploy(t, binary, binary, pos_integer, pos_integer | nil, map) ::
          {:ok, map} | {:error, term}
  def deploy(admin, app, channel, sequence, rollout, extra \\ %{}) do
    body =
      %{channel: channel, sequence: sequence}
      |> Map.merge(if rollout, do: %{rollout: %{percent: rollout}}, else: %{})
      |> Map.merge(extra)

    request(admin, :post, "/api/v1/apps/#{app}/deployments", {:json, body})
  end

  @doc "Any admin call: a JSON body, raw bytes with a content type, or none. Decodes a JSON answer."
  @spec request(t, :get | :post, binary, nil | {:json, term} | {binary, binary}) ::
          {:ok, term} | {:error, term}
  def request(admin, method, path, body \\ nil) do
    {headers, bytes} =
      case body do
        nil -> {[], nil}
        {:json, term} -> {[{"Content-Type", "application/json"}], Json.encode(term)}
        {type, raw} -> {[{"Content-Type", type}], raw}
      end

    url = admin.url <> path

    headers = [
      {"Authorization", "Bearer " <> admin.token},
      {"Accept", "application/json"} | headers
    ]

    opts = %{max_body: 64 * 1024 * 1024, connect_timeout: 10_000, timeout: admin.timeout, tls: []}

    with {:ok, transport} <- DalaOta.Transport.select(:auto, url),
         {:ok, status, _headers, answer} <- transport.request(method, url, headers, bytes, opts) do
      decoded =
        case Json.decode(answer) do
          {:ok, term} -> term
          {:error, _} -> answer
        end

      if status in 200..299, do: {:ok, decoded}, else: {:error, {:http, status, decoded}}
    end
  end
end
