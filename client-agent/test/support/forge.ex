defmodule DalaOta.Test.Forge do
  @moduledoc """
  Builds signed documents, manifests, bundles and check-in answers for tests, with the
  test-vector keys (derived from public seeds, protecting nothing) or keys made up on the spot.
  It signs with OTP's `:crypto` on the test host, independently of the agent's code.
  """

  alias DalaOta.Test.{Paths, Vectors}

  @doc "An Ed25519 key pair from a 32-byte seed: `%{seed, public}`."
  def key(seed) when byte_size(seed) == 32 do
    {public, _} = :crypto.generate_key(:eddsa, :ed25519, seed)
    %{seed: seed, public: public, id: Base.encode16(:crypto.hash(:sha256, public), case: :lower)}
  end

  @doc "A test-vector key by name (root-1, release-1, session-1, uncertified, release-revoked, ...)."
  def vector_key(name),
    do: key(Vectors.private_seed(Paths.vector("keys/ed25519-#{name}.key.pem")))

  @doc "A fresh random key."
  def random_key, do: key(:crypto.strong_rand_bytes(32))

  @doc "The canonical encoding signed documents use."
  def encode(term), do: :erlang.term_to_binary(term, [:deterministic, {:minor_version, 2}])

  @doc "A signed document of `kind` over `payload` (a term or already encoded bytes)."
  def sign(kind, payload, signers, chain \\ []) do
    payload = if is_binary(payload), do: payload, else: encode(payload)
    input = DalaOta.Signed.signing_input(kind, payload)

    signatures =
      for s <- List.wrap(signers),
          do: {s.id, :crypto.sign(:eddsa, :none, input, [s.seed, :ed25519])}

    encode({:dala_ota_signed, 1, kind, payload, signatures, chain})
  end

  @doc "Root version `version` of `key`, signed by itself and (after version 1) by `previous`."
  def root(key, version, previous \\ nil) do
    payload = %{
      format: 1,
      version: version,
      public_key: key.public,
      key_id: key.id,
      issued_at: 1_767_225_600
    }

    sign(:root, payload, Enum.reject([previous, key], &is_nil/1))
  end

  @doc "A role certificate for `key`, issued by `root_key`."
  def certificate(root_key, key, role, opts \\ []) do
    payload = %{
      format: 1,
      role: role,
      public_key: key.public,
      key_id: key.id,
      not_before: Keyword.get(opts, :not_before, 1_767_225_600),
      not_after: Keyword.get(opts, :not_after, 1_893_456_000),
      issuer: root_key.id,
      root_version: Keyword.get(opts, :root_version, 1)
    }

    sign(:role_certificate, payload, [root_key])
  end

  @doc "A revocation list signed by `root_key`."
  def revocations(root_key, version, revoked_ids) do
    sign(
      :revocation_list,
      %{
        format: 1,
        version: version,
        issued_at: 1_767_225_600,
        issuer: root_key.id,
        revoked: revoked_ids
      },
      [root_key]
    )
  end

  @doc """
  A trust setup: a root, a release key and a session key, each certified. Options override
  parts (`root:`, `release:`, `session:`).
  """
  def trust(opts \\ []) do
    root = Keyword.get(opts, :root, vector_key("root-1"))
    release = Keyword.get(opts, :release, vector_key("release-1"))
    session = Keyword.get(opts, :session, vector_key("session-1"))
    root_doc = root(root, 1)

    %{
      root: root,
      release: release,
      session: session,
      roots: [root_doc],
      release_cert: certificate(root, release, :release),
      session_cert: certificate(root, session, :session)
    }
  end

  @doc "A manifest term for modules given as `{name, bytes}`."
  def manifest(modules, opts \\ []) do
    now = Keyword.get(opts, :now, :os.system_time(:second))

    %{
      format: 1,
      app: Keyword.get(opts, :app, "com.example.test"),
      sequence: Keyword.fetch!(opts, :sequence),
      label: Keyword.get(opts, :label, "v#{opts[:sequence]}"),
      bases: Keyword.get(opts, :bases, [base()]),
      modules:
        modules
        |> Enum.sort_by(&elem(&1, 0))
        |> Enum.map(fn {name, bytes} ->
          md5 =
            case :beam_lib.md5(bytes) do
              {:ok, {_, md5}} -> md5
              _ -> :erlang.md5(bytes)
            end

          %{
            name: name,
            sha256: :crypto.hash(:sha256, bytes),
            size: byte_size(bytes),
            beam_md5: md5
          }
        end),
      apply_mode: Keyword.get(opts, :apply_mode, :hot),
      issued_at: Keyword.get(opts, :issued_at, now - 60),
      expires_at: Keyword.get(opts, :expires_at, now + 86_400),
      min_agent_version: Keyword.get(opts, :min_agent_version, "0.1.0")
    }
  end

  @doc "The base the test devices run."
  def base,
    do: %{platform: "android", otp_release: "25", fingerprint: "0123456789abcdef0123456789abcdef"}

  @doc "A manifest envelope signed with the trust's release key (or `signer:`)."
  def signed_manifest(trust, manifest, opts \\ []) do
    signer = Keyword.get(opts, :signer, trust.release)
    cert = Keyword.get(opts, :cert, trust.release_cert)
    sign(:manifest, manifest, [signer], Keyword.get(opts, :roots, trust.roots) ++ [cert])
  end

  @doc "A bundle file: envelope bytes and `{name, bytes}` modules."
  def bundle(envelope, modules) do
    IO.iodata_to_binary([
      "DOTABNDL",
      <<1::16, byte_size(envelope)::32>>,
      envelope,
      <<length(modules)::32>>,
      for(
        {name, bytes} <- modules,
        do: [<<byte_size(name)::16>>, name, <<byte_size(bytes)::32>>, bytes]
      )
    ])
  end

  @doc """
  A signed check-in answer. `decision` is `:none` or `{:update, update_map}`; options:
  `issued_at`, `expires_at`, `install_id`, `revocations`, `signer`, `cert`.
  """
  def checkin_answer(trust, decision, opts \\ []) do
    issued = Keyword.get(opts, :issued_at, :os.system_time(:second))

    payload =
      %{
        format: 1,
        issued_at: issued,
        expires_at: Keyword.get(opts, :expires_at, issued + 120),
        channel: "production"
      }
      |> Map.merge(
        case decision do
          :none ->
            %{decision: :none, reason: Keyword.get(opts, :reason, "up_to_date")}

          {:update, update} ->
            %{decision: :update, install_id: Keyword.fetch!(opts, :install_id), update: update}
        end
      )
      |> then(fn p -> if r = opts[:revocations], do: Map.put(p, :revocations, r), else: p end)

    sign(
      :checkin_response,
      payload,
      [Keyword.get(opts, :signer, trust.session)],
      trust.roots ++ [Keyword.get(opts, :cert, trust.session_cert)]
    )
  end

  @doc "The `update` part of a check-in answer for a signed manifest and its bundle."
  def update(manifest, envelope, bundle, opts \\ []) do
    %{
      sequence: manifest.sequence,
      label: manifest.label,
      manifest: envelope,
      delta: [],
      mandatory: false,
      apply_mode: Keyword.get(opts, :apply_mode, manifest.apply_mode),
      bundle_url: "/device/v1/releases/#{manifest.sequence}/bundle",
      bundle_sha256: Base.encode16(:crypto.hash(:sha256, bundle), case: :lower),
      bundle_size: byte_size(bundle),
      modules_url: "/device/v1/modules/"
    }
    |> Map.merge(Map.new(Keyword.get(opts, :extra, [])))
  end
end
