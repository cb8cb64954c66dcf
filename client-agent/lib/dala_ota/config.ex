defmodule DalaOta.Config do
  @moduledoc """
  The agent's validated configuration.

  The trust-critical part (server URL, app id, channel key, platform, OTP release, base
  fingerprint and the pinned root keys) normally comes from `dala_ota/config.etf`, the file
  release tooling embeds in the base build (docs/release.md). Give it as `config_file: path` or
  `config_etf: bytes`; options given explicitly override the file. Everything else has a
  default. Every limit and timeout is an explicit, bounded setting.

  `new/1` checks every field and reports all problems at once:

      {:error, {:invalid_config, [server_url: "must be an http:// or https:// URL", ...]}}

  See docs/agent.md for the table of settings.
  """

  @platforms ["ios", "android", "linux", "macos"]

  # {key, default, check}: the check returns :ok or a reason text.
  @settings [
    server_url: {nil, :url},
    app: {nil, {:text, 1, 255}},
    channel_key: {nil, :channel_key},
    platform: {nil, {:one_of, @platforms}},
    otp_release: {:system, :otp_release},
    base_fingerprint: {nil, :fingerprint},
    root_keys: {nil, :root_keys},
    data_dir: {nil, {:text, 1, 4096}},
    install_id: {:generated, :install_id},
    checkin_interval: {3600, {:integer, 1, 604_800}},
    checkin_jitter: {300, {:integer, 0, 604_800}},
    first_checkin: {10, {:integer, 0, 86_400}},
    apply_mode: {:auto, {:atom, [:auto, :hot, :next_start]}},
    health_window: {30, {:integer, 1, 3600}},
    max_boots: {3, {:integer, 1, 100}},
    max_early_crashes: {3, {:integer, 1, 100}},
    confirm_after: {nil, {:optional_integer, 1, 604_800}},
    distribution: {:auto, {:atom, [:auto, :never]}},
    transport: {:auto, :module_or_auto},
    bridge: {nil, :bridge},
    tls: {[], :keyword},
    crypto: {:auto, :crypto},
    store: {DalaOta.Store.Disk, :module},
    clock: {DalaOta.Clock.System, :module},
    dist: {DalaOta.Distribution.Beam, :module},
    clock_skew: {300, {:integer, 0, 3600}},
    code_change: {[], :code_change},
    max_checkin_bytes: {8 * 1024 * 1024, {:integer, 1024, 64 * 1024 * 1024}},
    max_envelope_bytes: {4 * 1024 * 1024, {:integer, 1024, 64 * 1024 * 1024}},
    max_modules: {10_000, {:integer, 1, 10_000}},
    max_module_bytes: {32 * 1024 * 1024, {:integer, 1024, 256 * 1024 * 1024}},
    max_bundle_bytes: {64 * 1024 * 1024, {:integer, 1024, 1024 * 1024 * 1024}},
    max_queued_events: {500, {:integer, 1, 100_000}},
    max_header_bytes: {8192, {:integer, 1024, 65_536}},
    max_headers: {100, {:integer, 8, 1000}},
    max_report_answer_bytes: {65_536, {:integer, 1024, 1_048_576}},
    max_worker_heap_bytes: {nil, {:optional_integer, 16 * 1024 * 1024, 8 * 1024 * 1024 * 1024}},
    crypto_check_timeout: {10_000, {:integer, 100, 120_000}},
    http_connect_timeout: {10_000, {:integer, 100, 300_000}},
    http_timeout: {60_000, {:integer, 100, 600_000}},
    download_timeout: {600_000, {:integer, 1000, 3_600_000}},
    dist_start_timeout: {10_000, {:integer, 100, 120_000}},
    dist_connect_timeout: {15_000, {:integer, 100, 120_000}},
    offer_timeout: {15_000, {:integer, 100, 120_000}},
    module_timeout: {60_000, {:integer, 100, 600_000}},
    bye_timeout: {10_000, {:integer, 100, 120_000}},
    check_timeout: {900_000, {:integer, 1000, 7_200_000}}
  ]

  @keys Keyword.keys(@settings)

  defstruct @keys

  @type t :: %__MODULE__{}
  @type problem :: {atom, binary}

  @doc "Every setting's name, in documentation order."
  @spec keys() :: [atom]
  def keys, do: @keys

  @doc "The default of a setting (`:system`/`:generated` mark values found at run time)."
  @spec default(atom) :: term
  def default(key), do: @settings |> Keyword.fetch!(key) |> elem(0)

  @doc """
  The bounds of a numeric setting, `{min, max}` (both allowed), or nil for the others. Every
  limit and timeout has both.
  """
  @spec bounds(atom) :: {integer, integer} | nil
  def bounds(key) do
    case @settings |> Keyword.fetch!(key) |> elem(1) do
      {:integer, min, max} -> {min, max}
      {:optional_integer, min, max} -> {min, max}
      _ -> nil
    end
  end

  @doc """
  Builds a configuration from options, after merging `config_file:`/`config_etf:` if given.
  Unknown options are reported too, so a typo never silently falls back to a default.
  """
  @spec new(keyword | map) :: {:ok, t} | {:error, {:invalid_config, [problem]}}
  def new(opts) when is_map(opts), do: new(Map.to_list(opts))

  def new(opts) when not is_list(opts),
    do: {:error, {:invalid_config, [options: "must be a keyword list or a map"]}}

  def new(opts) when is_list(opts) do
    if Keyword.keyword?(opts), do: build(opts), else: new(:not_a_keyword_list)
  end

  defp build(opts) do
    {file_opts, file_problems} = embedded(opts)
    opts = Keyword.merge(file_opts, Keyword.drop(opts, [:config_file, :config_etf, :name]))
    unknown = for {key, _} <- opts, key not in @keys, do: {key, "is not a setting"}

    {values, problems} =
      Enum.reduce(@settings, {%{}, []}, fn {key, {default, check}}, {values, problems} ->
        value = Keyword.get(opts, key, resolve_default(default))

        case validate(check, value) do
          :ok -> {Map.put(values, key, normalise(key, value)), problems}
          {:error, why} -> {values, [{key, why} | problems]}
        end
      end)

    problems = file_problems ++ unknown ++ Enum.reverse(problems) ++ cross_checks(values)

    case problems do
      [] -> {:ok, struct!(__MODULE__, values)}
      _ -> {:error, {:invalid_config, problems}}
    end
  end

  @doc """
  Reads release tooling's `config.etf` (an ETF map, format 1) into options. Only the known
  keys are taken; the map is decoded with `[:safe]`.
  """
  @spec read_embedded(binary) :: {:ok, keyword} | {:error, binary}
  def read_embedded(bytes) when is_binary(bytes) do
    term =
      try do
        :erlang.binary_to_term(bytes, [:safe])
      rescue
        ArgumentError -> :invalid
      end

    case term do
      %{format: 1} = map ->
        {:ok,
         for(
           key <- [
             :server_url,
             :app,
             :channel_key,
             :platform,
             :otp_release,
             :base_fingerprint,
             :root_keys
           ],
           Map.has_key?(map, key),
           do: {key, Map.fetch!(map, key)}
         )}

      _ ->
        {:error, "is not a format 1 agent config map"}
    end
  end

  @doc "The base this device runs, as manifests list bases."
  @spec base(t) :: %{platform: binary, otp_release: binary, fingerprint: binary}
  def base(%__MODULE__{} = c),
    do: %{platform: c.platform, otp_release: c.otp_release, fingerprint: c.base_fingerprint}

  @doc "The bundle reader's caps."
  @spec bundle_limits(t) :: DalaOta.BundleFile.limits()
  def bundle_limits(%__MODULE__{} = c) do
    %{
      max_envelope_bytes: c.max_envelope_bytes,
      max_modules: c.max_modules,
      max_module_bytes: c.max_module_bytes,
      max_bundle_bytes: c.max_bundle_bytes
    }
  end

  @doc """
  The heap cap of the process a check runs in, in bytes: `max_worker_heap_bytes`, or by default
  twice what the device may hold of one check (answer, envelope and bundle) plus 32 MiB for the
  agent's own work. Large binaries live outside the heap; the cap bounds the terms a peer can
  make the worker build or queue.
  """
  @spec worker_heap_bytes(t) :: pos_integer
  def worker_heap_bytes(%__MODULE__{max_worker_heap_bytes: bytes}) when is_integer(bytes),
    do: bytes

  def worker_heap_bytes(%__MODULE__{} = c),
    do: 2 * (c.max_checkin_bytes + c.max_envelope_bytes + c.max_bundle_bytes) + 32 * 1024 * 1024

  defp embedded(opts) do
    source =
      cond do
        path = opts[:config_file] ->
          case File.read(path) do
            {:ok, bytes} ->
              {:ok, bytes}

            {:error, reason} ->
              {:error, {:config_file, "cannot be read: #{:file.format_error(reason)}"}}
          end

        bytes = opts[:config_etf] ->
          if is_binary(bytes), do: {:ok, bytes}, else: {:error, {:config_etf, "must be a binary"}}

        true ->
          :none
      end

    case source do
      :none ->
        {[], []}

      {:error, problem} ->
        {[], [problem]}

      {:ok, bytes} ->
        case read_embedded(bytes) do
          {:ok, file_opts} ->
            {file_opts, []}

          {:error, why} ->
            {[], [{if(opts[:config_file], do: :config_file, else: :config_etf), why}]}
        end
    end
  end

  defp resolve_default(:system), do: :erlang.system_info(:otp_release) |> List.to_string()
  defp resolve_default(default), do: default

  defp normalise(:server_url, url), do: url |> to_string() |> String.trim_trailing("/")

  defp normalise(key, value)
       when key in [:app, :channel_key, :platform, :otp_release, :base_fingerprint],
       do: to_string(value)

  defp normalise(:data_dir, dir), do: to_string(dir)
  defp normalise(_key, value), do: value

  defp cross_checks(%{checkin_jitter: jitter, checkin_interval: interval}) when jitter > interval,
    do: [{:checkin_jitter, "must not exceed checkin_interval"}]

  defp cross_checks(_), do: []

  defp validate(:url, value) do
    with true <- is_binary(value) or is_list(value),
         %URI{scheme: scheme, host: host}
         when scheme in ["http", "https"] and is_binary(host) and host != "" <-
           URI.parse(to_string(value)) do
      :ok
    else
      _ -> {:error, "must be an http:// or https:// URL"}
    end
  end

  defp validate({:text, min, max}, value) do
    if (is_binary(value) or is_list(value)) and text_length(value) in min..max,
      do: :ok,
      else: {:error, "must be text of #{min} to #{max} bytes"}
  end

  defp validate(:channel_key, value) do
    if is_binary(value) and Regex.match?(~r/\Ack_[A-Za-z0-9_-]{16,64}\z/, value),
      do: :ok,
      else: {:error, "must be a channel key (ck_ followed by 16-64 letters, digits, _ or -)"}
  end

  defp validate({:one_of, allowed}, value) do
    if value in allowed, do: :ok, else: {:error, "must be one of #{Enum.join(allowed, ", ")}"}
  end

  defp validate(:otp_release, value) do
    if is_binary(value) and Regex.match?(~r/\A[0-9]{2}\z/, value),
      do: :ok,
      else: {:error, "must be two digits"}
  end

  defp validate(:fingerprint, value) do
    if is_binary(value) and Regex.match?(~r/\A[0-9a-f]{1,64}\z/, value),
      do: :ok,
      else: {:error, "must be 1-64 lowercase hex digits"}
  end

  defp validate(:root_keys, value) do
    if is_list(value) and value != [] and length(value) <= 16 and
         Enum.all?(value, &(is_binary(&1) and byte_size(&1) == 32)),
       do: :ok,
       else: {:error, "must be a list of 1 to 16 raw 32-byte Ed25519 public keys"}
  end

  defp validate(:install_id, :generated), do: :ok

  defp validate(:install_id, value) do
    if is_binary(value) and Regex.match?(~r/\A[A-Za-z0-9._:-]{8,128}\z/, value),
      do: :ok,
      else: {:error, "must be 8-128 letters, digits, '.', '_', ':' or '-'"}
  end

  defp validate({:integer, min, max}, value) do
    if is_integer(value) and value in min..max,
      do: :ok,
      else: {:error, "must be an integer from #{min} to #{max}"}
  end

  defp validate({:optional_integer, _min, _max}, nil), do: :ok
  defp validate({:optional_integer, min, max}, value), do: validate({:integer, min, max}, value)

  defp validate({:atom, allowed}, value) do
    if value in allowed,
      do: :ok,
      else: {:error, "must be one of #{Enum.map_join(allowed, ", ", &inspect/1)}"}
  end

  defp validate(:module_or_auto, :auto), do: :ok
  defp validate(:module_or_auto, value), do: validate(:module, value)

  defp validate(:module, value) do
    if is_atom(value) and value not in [nil, true, false],
      do: :ok,
      else: {:error, "must be a module"}
  end

  defp validate(:bridge, value) do
    if value == nil or is_pid(value) or (is_atom(value) and value not in [true, false]),
      do: :ok,
      else: {:error, "must be a registered name or a pid"}
  end

  defp validate(:keyword, value) do
    if is_list(value) and Keyword.keyword?(value),
      do: :ok,
      else: {:error, "must be a keyword list"}
  end

  defp validate(:crypto, :auto), do: :ok
  defp validate(:crypto, value) when is_atom(value), do: validate(:module, value)

  defp validate(:crypto, value) do
    if is_list(value) and value != [] and Enum.all?(value, &(validate(:module, &1) == :ok)),
      do: :ok,
      else: {:error, "must be :auto, a module or a list of modules implementing DalaOta.Crypto"}
  end

  defp validate(:code_change, value) do
    if is_list(value) and
         Enum.all?(value, &match?({name, mod} when is_atom(name) and is_atom(mod), &1)),
       do: :ok,
       else: {:error, "must be a list of {registered_name, module} pairs"}
  end

  defp text_length(value) when is_binary(value), do: byte_size(value)
  defp text_length(value), do: value |> to_string() |> byte_size()
end
