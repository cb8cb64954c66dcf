defmodule DalaOta.E2E.World do
  @moduledoc """
  Server-side steps for end-to-end tests, through the real admin API: an app with a channel
  and the bases its devices run, releases built with the agent's own bundle builder (what
  `mix dala_ota.bundle` does) and published and deployed (what `mix dala_ota.publish` does),
  and what the server recorded afterwards.
  """

  alias DalaOta.{Admin, BundleBuilder}

  @doc "Creates an app with a `production` channel and a base for `otp_release`, plus an iOS base that links `demo_nif`."
  def app(admin, name, otp_release) do
    {:ok, _} = Admin.request(admin, :post, "/api/v1/apps", {:json, %{name: name}})

    {:ok, %{"channel_key" => key}} =
      Admin.request(admin, :post, "/api/v1/apps/#{name}/channels", {:json, %{name: "production"}})

    {:ok, %{"channel_key" => other_key}} =
      Admin.request(admin, :post, "/api/v1/apps/#{name}/channels", {:json, %{name: "other"}})

    erts = if otp_release == "29", do: "17.1.1", else: "13.1.5"

    base =
      register_base(admin, name, %{
        platform: "android",
        otp_release: otp_release,
        erts_version: erts,
        elixir_version: "1.14.0",
        static_nifs: []
      })

    other =
      register_base(admin, name, %{
        platform: "ios",
        otp_release: "29",
        erts_version: "17.1.1",
        elixir_version: "1.18.0",
        static_nifs: ["demo_nif"]
      })

    %{
      name: name,
      channel_key: key,
      other_key: other_key,
      base: base,
      other_base: other,
      otp_release: otp_release
    }
  end

  defp register_base(admin, app, body) do
    {:ok, %{"fingerprint" => fingerprint}} =
      Admin.request(
        admin,
        :post,
        "/api/v1/apps/#{app}/bases",
        {:json, Map.put(body, :module_md5s, %{})}
      )

    fingerprint
  end

  @doc "Builds and publishes a release from ebin folders; returns its sequence and bundle."
  def publish(admin, app, label, ebins, opts \\ []) do
    {:ok, bundle, _} =
      BundleBuilder.build(ebins,
        app: app.name,
        label: label,
        apply_mode: Keyword.get(opts, :apply_mode, :hot)
      )

    {:ok, release} = Admin.publish(admin, app.name, bundle)
    %{sequence: release["sequence"], id: release["id"], modules: release["modules"]}
  end

  @doc "Deploys a release to a whole channel; returns the deployment id."
  def deploy(admin, app, release, opts \\ []) do
    extra = Map.new(Keyword.take(opts, [:failure_threshold, :mandatory]))

    {:ok, %{"id" => id}} =
      Admin.deploy(
        admin,
        app.name,
        Keyword.get(opts, :channel, "production"),
        release.sequence,
        nil,
        extra
      )

    id
  end

  @doc "The signed bundle the server serves for a release (deployed on the channel of `key`)."
  def bundle(stack, app, release, key \\ nil) do
    opts = %{max_body: 512 * 1024 * 1024, connect_timeout: 5000, timeout: 60_000}

    {:ok, 200, _, bytes} =
      DalaOta.Transport.Tcp.request(
        :get,
        stack.url <> "/device/v1/releases/#{release.id}/bundle",
        [{"X-Dala-Channel-Key", key || app.channel_key}],
        nil,
        opts
      )

    bytes
  end

  @doc "The events the server recorded for an install, oldest first, as {kind, sequence, reason, bytes}."
  def events(admin, app, install_id) do
    {:ok, releases} = Admin.request(admin, :get, "/api/v1/apps/#{app.name}/releases?limit=200")
    sequences = Map.new(releases, &{&1["id"], &1["sequence"]})
    {:ok, events} = Admin.request(admin, :get, "/api/v1/apps/#{app.name}/events?limit=500")

    for e <- Enum.reverse(events), e["install_id"] == install_id do
      {e["kind"], sequences[e["release_id"]], e["reason"], e["bytes"]}
    end
  end

  @doc "A deployment as the server shows it."
  def deployment(admin, app, id) do
    {:ok, deployment} = Admin.request(admin, :get, "/api/v1/apps/#{app.name}/deployments/#{id}")
    deployment
  end
end
