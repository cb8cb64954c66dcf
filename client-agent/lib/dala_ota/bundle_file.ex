defmodule DalaOta.BundleFile do
  @moduledoc """
  Reads the bundle file framing of docs/formats.md from a file (or, for tests, a binary),
  checking every cap *before* reading what a length describes, so a hostile length can never
  make the device allocate or read more than the caps allow:

      "DOTABNDL"  u16 format = 1
      u32 envelope length, envelope
      u32 module count
      per module: u16 name length, name (UTF-8), u32 size, bytes

  Modules are handed to a callback one at a time, so at most one module is held in memory.
  """

  @magic "DOTABNDL"
  # The longest module name the manifest format allows (`DalaOta.Manifest.limits/0`).
  @max_name 1020

  @type limits :: %{
          max_envelope_bytes: pos_integer,
          max_modules: pos_integer,
          max_module_bytes: pos_integer,
          max_bundle_bytes: pos_integer
        }

  @type source :: {:file, Path.t()} | {:binary, binary}

  @doc """
  Reads the envelope, calls `on_envelope.(envelope)` (which may stop the read by returning
  `{:halt, value}`, or replace `acc` with what the envelope says by returning `{:cont, acc}`),
  then calls `on_module.(name, bytes, acc)` for each module in order. Returns
  `{:ok, envelope, acc}`, `{:halted, value}` or `{:error, {:malformed_bundle, detail}}`.
  """
  @spec read(
          source,
          limits,
          (binary -> :cont | {:cont, acc} | {:halt, term}),
          (binary, binary, acc -> acc),
          acc
        ) ::
          {:ok, binary, acc} | {:halted, term} | {:error, {:malformed_bundle, binary}}
        when acc: term
  def read(source, limits, on_envelope, on_module, acc) do
    case open(source) do
      {:ok, io} ->
        try do
          do_read(io, limits, on_envelope, on_module, acc)
        catch
          {:malformed, detail} -> {:error, {:malformed_bundle, detail}}
        after
          :file.close(io)
        end

      {:error, reason} ->
        {:error, {:malformed_bundle, "cannot open the bundle: #{inspect(reason)}"}}
    end
  end

  defp open({:file, path}), do: :file.open(path, [:read, :raw, :binary, {:read_ahead, 65_536}])
  defp open({:binary, bytes}), do: :file.open(bytes, [:ram, :read, :binary])

  defp do_read(io, limits, on_envelope, on_module, acc) do
    <<magic::binary-size(8), format::16>> = take(io, 10, "the header")
    magic == @magic or throw({:malformed, "not a bundle file (bad magic)"})
    format == 1 or throw({:malformed, "unsupported bundle format #{format}"})
    <<envelope_length::32>> = take(io, 4, "the envelope length")

    envelope_length <= limits.max_envelope_bytes or
      throw(
        {:malformed,
         "an envelope of #{envelope_length} bytes exceeds #{limits.max_envelope_bytes}"}
      )

    envelope = take(io, envelope_length, "the envelope")

    case on_envelope.(envelope) do
      {:halt, value} ->
        {:halted, value}

      :cont ->
        read_module_section(io, envelope, limits, on_module, acc)

      {:cont, acc} ->
        read_module_section(io, envelope, limits, on_module, acc)
    end
  end

  defp read_module_section(io, envelope, limits, on_module, acc) do
    <<count::32>> = take(io, 4, "the module count")

    count <= limits.max_modules or
      throw({:malformed, "#{count} modules exceed the limit of #{limits.max_modules}"})

    total = 10 + 4 + byte_size(envelope) + 4
    {acc, _names} = read_modules(io, count, limits, total, on_module, {acc, MapSet.new()})
    :eof == :file.read(io, 1) or throw({:malformed, "bytes follow the last module"})
    {:ok, envelope, acc}
  end

  defp read_modules(_io, 0, _limits, _total, _fun, state), do: state

  defp read_modules(io, n, limits, total, on_module, {acc, names}) do
    <<name_length::16>> = take(io, 2, "a module name length")
    name_length in 1..@max_name or throw({:malformed, "a module name of #{name_length} bytes"})
    name = take(io, name_length, "a module name")
    String.valid?(name) or throw({:malformed, "a module name is not UTF-8"})
    not MapSet.member?(names, name) or throw({:malformed, "module #{name} appears twice"})
    <<size::32>> = take(io, 4, "a module size")

    size <= limits.max_module_bytes or
      throw({:malformed, "module #{name} of #{size} bytes exceeds #{limits.max_module_bytes}"})

    total = total + 2 + name_length + 4 + size

    total <= limits.max_bundle_bytes or
      throw({:malformed, "the bundle exceeds #{limits.max_bundle_bytes} bytes"})

    bytes = take(io, size, "module #{name}")

    read_modules(
      io,
      n - 1,
      limits,
      total,
      on_module,
      {on_module.(name, bytes, acc), MapSet.put(names, name)}
    )
  end

  defp take(_io, 0, _what), do: ""

  defp take(io, n, what) do
    case :file.read(io, n) do
      {:ok, bytes} when byte_size(bytes) == n -> bytes
      _ -> throw({:malformed, "the bundle is truncated in #{what}"})
    end
  end
end
