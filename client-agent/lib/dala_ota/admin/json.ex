defmodule DalaOta.Admin.Json do
  @moduledoc """
  The JSON the admin API speaks, for the Mix tasks, which must run without dependencies on
  OTP 25 (OTP 27+ has `:json`, OTP 25 has no JSON at all). Objects decode to maps with binary
  keys; encoding takes maps with atom or binary keys, lists, binaries, numbers, booleans and nil.
  """

  @doc "Encodes a term as JSON text."
  @spec encode(term) :: binary
  def encode(term), do: term |> enc() |> IO.iodata_to_binary()

  defp enc(nil), do: "null"
  defp enc(true), do: "true"
  defp enc(false), do: "false"
  defp enc(n) when is_integer(n), do: Integer.to_string(n)
  defp enc(f) when is_float(f), do: Float.to_string(f)
  defp enc(a) when is_atom(a), do: string(Atom.to_string(a))
  defp enc(s) when is_binary(s), do: string(s)
  defp enc(list) when is_list(list), do: ["[", Enum.map_join(list, ",", &encode/1), "]"]

  defp enc(map) when is_map(map) do
    ["{", Enum.map_join(map, ",", fn {k, v} -> encode(to_string(k)) <> ":" <> encode(v) end), "}"]
  end

  defp string(s) do
    escaped =
      for <<c::utf8 <- s>>, into: "" do
        case c do
          ?" -> "\\\""
          ?\\ -> "\\\\"
          ?\n -> "\\n"
          ?\r -> "\\r"
          ?\t -> "\\t"
          c when c < 0x20 -> "\\u" <> String.pad_leading(Integer.to_string(c, 16), 4, "0")
          c -> <<c::utf8>>
        end
      end

    [?", escaped, ?"]
  end

  @doc "Decodes JSON text."
  @spec decode(binary) :: {:ok, term} | {:error, term}
  def decode(text) do
    case value(skip(text)) do
      {value, rest} ->
        if skip(rest) == "", do: {:ok, value}, else: {:error, :trailing_data}
    end
  rescue
    # A \u escape that is not hex.
    ArgumentError -> {:error, :bad_escape}
  catch
    {:json, reason} -> {:error, reason}
  end

  defp value("{" <> rest), do: object(skip(rest), %{})
  defp value("[" <> rest), do: array(skip(rest), [])
  defp value("\"" <> rest), do: str(rest, [])
  defp value("true" <> rest), do: {true, rest}
  defp value("false" <> rest), do: {false, rest}
  defp value("null" <> rest), do: {nil, rest}
  defp value(<<c, _::binary>> = text) when c in ~c"-0123456789", do: number(text)
  defp value(_), do: throw({:json, :unexpected})

  defp object("}" <> rest, acc), do: {acc, rest}

  defp object("\"" <> rest, acc) do
    {key, rest} = str(rest, [])

    case skip(rest) do
      ":" <> rest ->
        {val, rest} = value(skip(rest))
        acc = Map.put(acc, key, val)

        case skip(rest) do
          "," <> rest -> object(skip(rest), acc)
          "}" <> rest -> {acc, rest}
          _ -> throw({:json, :bad_object})
        end

      _ ->
        throw({:json, :bad_object})
    end
  end

  defp object(_, _), do: throw({:json, :bad_object})

  defp array("]" <> rest, acc), do: {Enum.reverse(acc), rest}

  defp array(text, acc) do
    {val, rest} = value(text)

    case skip(rest) do
      "," <> rest -> array(skip(rest), [val | acc])
      "]" <> rest -> {Enum.reverse([val | acc]), rest}
      _ -> throw({:json, :bad_array})
    end
  end

  defp str("\"" <> rest, acc), do: {acc |> Enum.reverse() |> IO.iodata_to_binary(), rest}
  defp str("\\\"" <> rest, acc), do: str(rest, ["\"" | acc])
  defp str("\\\\" <> rest, acc), do: str(rest, ["\\" | acc])
  defp str("\\/" <> rest, acc), do: str(rest, ["/" | acc])
  defp str("\\b" <> rest, acc), do: str(rest, ["\b" | acc])
  defp str("\\f" <> rest, acc), do: str(rest, ["\f" | acc])
  defp str("\\n" <> rest, acc), do: str(rest, ["\n" | acc])
  defp str("\\r" <> rest, acc), do: str(rest, ["\r" | acc])
  defp str("\\t" <> rest, acc), do: str(rest, ["\t" | acc])

  defp str("\\u" <> <<hex::binary-size(4), rest::binary>>, acc) do
    case {String.to_integer(hex, 16), rest} do
      {high, "\\u" <> <<lo::binary-size(4), rest::binary>>} when high in 0xD800..0xDBFF ->
        low = String.to_integer(lo, 16)
        str(rest, [<<0x10000 + (high - 0xD800) * 0x400 + (low - 0xDC00)::utf8>> | acc])

      {code, rest} when code in 0xD800..0xDFFF ->
        throw({:json, {:lone_surrogate, code, byte_size(rest)}})

      {code, rest} ->
        str(rest, [<<code::utf8>> | acc])
    end
  end

  defp str(<<c::utf8, rest::binary>>, acc), do: str(rest, [<<c::utf8>> | acc])
  defp str(_, _), do: throw({:json, :bad_string})

  defp number(text) do
    [token | _] = Regex.run(~r/\A-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/, text)
    rest = binary_part(text, byte_size(token), byte_size(text) - byte_size(token))

    value =
      if String.contains?(token, [".", "e", "E"]) do
        {f, ""} = Float.parse(token)
        f
      else
        String.to_integer(token)
      end

    {value, rest}
  end

  defp skip(<<c, rest::binary>>) when c in [?\s, ?\t, ?\n, ?\r], do: skip(rest)
  defp skip(text), do: text
end
